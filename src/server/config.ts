// Every tunable of the server in one place, with the defaults it runs with and the words --help and
// docs/PROTOCOL.md use for it. Tests and benchmarks override single fields through `limits`; an
// operator through one flag per limit or a JSON file of them (cli.ts).
import { DEFAULT_ITERATIONS, MAX_ENVELOPE_V3_BYTES } from '../crypto';
import { MAX_ONLINE } from '../protocol/limits';
import { MAX_FRAME_BYTES } from '../protocol/wire';

export interface Limits {
  /** ws maxPayload: larger frames close the socket with 1009 before any parsing. */
  readonly maxFrameBytes: number;
  /** Open sockets, authenticated or not; one more is refused with `server-full` (4006). */
  readonly maxConnections: number;
  /**
   * Sockets not yet authenticated, counted from the TCP accept: in all, and from one address. The
   * total stays below `maxConnections`, so the slots above it can only be reached by authenticating.
   */
  readonly maxUnauthenticated: number;
  readonly maxUnauthenticatedPerAddress: number;
  /** Token bucket per connection for `send` and `history` frames: sustained rate and burst. */
  readonly framesPerSecond: number;
  readonly frameBurst: number;
  /** Token buckets over envelope bytes sent: per address (all its connections), and for the whole room. */
  readonly addressBytesPerSecond: number;
  readonly addressBytesBurst: number;
  readonly roomBytesPerSecond: number;
  readonly roomBytesBurst: number;
  /** Bytes the data directory's files may take; at the quota the room is read-only (`storage-full`). */
  readonly storageQuotaBytes: number;
  /** Free space the data directory's file system must keep; below it the room is read-only. */
  readonly minFreeBytes: number;
  /** How often disk use and free space are measured again (and read-only mode is left when they allow). */
  readonly storageCheckMs: number;
  /** Malformed frames one connection may send before it is closed with 4004. */
  readonly maxBadFrames: number;
  /** Time a socket has to authenticate before `handshake-timeout` (4002). */
  readonly handshakeTimeoutMs: number;
  /** Failed handshakes from one address within `authFailureWindowMs` before it is backed off. */
  readonly maxAuthFailures: number;
  readonly authFailureWindowMs: number;
  /** How long a backed-off address is refused (4003). */
  readonly backoffMs: number;
  /** Addresses whose failures are remembered at once; the oldest are forgotten beyond this. */
  readonly maxTrackedAddresses: number;
  /** Accepted sender clock skew, either way, before `stale`. */
  readonly maxClockSkewMs: number;
  /** Ping interval; a peer that has not answered the previous ping by the next one is terminated. */
  readonly heartbeatMs: number;
  /** Bytes queued for one client beyond which it is closed as a slow consumer (4005). */
  readonly sendBufferBytes: number;
  /** After closing a slow consumer or refusing an unauthenticated socket, how long it may linger before it is destroyed. */
  readonly closeGraceMs: number;
  /**
   * A sealed segment holds at most this many messages, or this many envelope bytes (at least one
   * message). The unsealed messages, and so the journal replayed at start, stay about this size.
   */
  readonly segmentMessages: number;
  readonly segmentBytes: number;
  /** A new room key epoch starts once the current one is this old (ms), or holds this many messages. */
  readonly rotateAfterMs: number;
  readonly rotateAfterMessages: number;
  /** A named room without a socket for this long (ms) is closed; its next socket opens it again. */
  readonly roomIdleMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxConnections: MAX_ONLINE,
  maxUnauthenticated: 128,
  maxUnauthenticatedPerAddress: 8,
  framesPerSecond: 20,
  frameBurst: 40,
  addressBytesPerSecond: 256 * 1024,
  addressBytesBurst: 1024 * 1024,
  roomBytesPerSecond: 1024 * 1024,
  roomBytesBurst: 4 * 1024 * 1024,
  storageQuotaBytes: 1024 ** 3,
  minFreeBytes: 64 * 1024 * 1024,
  storageCheckMs: 5_000,
  maxBadFrames: 10,
  handshakeTimeoutMs: 10_000,
  maxAuthFailures: 5,
  authFailureWindowMs: 60_000,
  backoffMs: 60_000,
  maxTrackedAddresses: 10_000,
  maxClockSkewMs: 5 * 60_000,
  heartbeatMs: 30_000,
  sendBufferBytes: 1024 * 1024,
  closeGraceMs: 5_000,
  segmentMessages: 2_000,
  segmentBytes: 2 * 1024 * 1024,
  rotateAfterMs: 7 * 24 * 60 * 60_000,
  rotateAfterMessages: 10_000,
  roomIdleMs: 10 * 60_000,
};

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7777;
export const DEFAULT_DATA_DIR = './secure-chat-data';
export { DEFAULT_ITERATIONS };

/** What --help and docs/PROTOCOL.md say about each limit; `integer` unless a fraction makes sense. */
export const LIMIT_DESCRIPTIONS: Readonly<Record<keyof Limits, { readonly text: string; readonly max?: number; readonly fraction?: boolean }>> = {
  maxFrameBytes: { text: 'largest WebSocket frame, bytes (clients use 65536 too)', max: MAX_FRAME_BYTES },
  maxConnections: { text: 'open sockets in all; one more gets server-full' },
  maxUnauthenticated: { text: 'sockets not yet authenticated, in all (below max-connections)' },
  maxUnauthenticatedPerAddress: { text: 'sockets not yet authenticated from one address' },
  framesPerSecond: { text: 'send/history frames per second per connection', fraction: true },
  frameBurst: { text: 'burst of send/history frames per connection' },
  addressBytesPerSecond: { text: 'envelope bytes per second per address' },
  addressBytesBurst: { text: 'burst of envelope bytes per address' },
  roomBytesPerSecond: { text: 'envelope bytes per second for the whole room' },
  roomBytesBurst: { text: 'burst of envelope bytes for the whole room' },
  storageQuotaBytes: { text: 'bytes the data directory may hold; then read-only' },
  minFreeBytes: { text: 'free disk bytes to keep; below it read-only' },
  storageCheckMs: { text: 'ms between disk use and free space checks' },
  maxBadFrames: { text: 'malformed frames per connection before close 4004' },
  handshakeTimeoutMs: { text: 'ms a socket has to authenticate' },
  maxAuthFailures: { text: 'failed or timed-out handshakes per address per window' },
  authFailureWindowMs: { text: 'ms window of max-auth-failures' },
  backoffMs: { text: 'ms an address is refused after too many failures' },
  maxTrackedAddresses: { text: 'addresses remembered for back-off and rates' },
  maxClockSkewMs: { text: 'ms a sender clock may differ before stale' },
  heartbeatMs: { text: 'ms between pings; a peer missing one is dropped' },
  sendBufferBytes: { text: 'bytes queued for one client before slow-consumer' },
  closeGraceMs: { text: 'ms a refused or slow socket may linger after its close' },
  segmentMessages: { text: 'messages in one sealed segment (at most)' },
  segmentBytes: { text: 'envelope bytes in one sealed segment (at most)' },
  rotateAfterMs: { text: 'ms a room key epoch lasts before a new one starts' },
  rotateAfterMessages: { text: 'messages stored in one room key epoch before a new one starts' },
  roomIdleMs: { text: 'ms a named room stays open without a socket' },
};

/** Checks every limit and how they relate; throws a RangeError that names the offending one. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const name of Object.keys(limits) as (keyof Limits)[]) {
    const value: unknown = limits[name];
    const spec = LIMIT_DESCRIPTIONS[name];
    if (spec === undefined) throw new RangeError(`unknown limit ${name}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`limit ${name} must be a positive number, got ${String(value)}`);
    if (!spec.fraction && !Number.isSafeInteger(value)) throw new RangeError(`limit ${name} must be a whole number, got ${value}`);
    if (spec.max !== undefined && value > spec.max) throw new RangeError(`limit ${name} must be at most ${spec.max}, got ${value}`);
  }
  if (limits.maxUnauthenticated >= limits.maxConnections) {
    throw new RangeError(`limit maxUnauthenticated (${limits.maxUnauthenticated}) must be below limit maxConnections (${limits.maxConnections}), so members always have slots`);
  }
  if (limits.maxUnauthenticatedPerAddress > limits.maxUnauthenticated) {
    throw new RangeError(`limit maxUnauthenticatedPerAddress (${limits.maxUnauthenticatedPerAddress}) must be at most limit maxUnauthenticated (${limits.maxUnauthenticated})`);
  }
  for (const burst of ['frameBurst', 'addressBytesBurst', 'roomBytesBurst'] as const) {
    const least = burst === 'frameBurst' ? 1 : MAX_ENVELOPE_V3_BYTES;
    if (limits[burst] < least) throw new RangeError(`limit ${burst} must be at least ${least} (one largest frame or envelope), got ${limits[burst]}`);
  }
  return limits;
}
