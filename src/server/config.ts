// Every tunable of the server in one place, with the defaults it runs with. Tests and benchmarks
// override single fields through `limits`; the CLI exposes only host, port and data directory.
import { DEFAULT_ITERATIONS } from '../crypto';
import { MAX_ONLINE } from '../protocol/limits';
import { MAX_FRAME_BYTES } from '../protocol/wire';

export interface Limits {
  /** ws maxPayload: larger frames close the socket with 1009 before any parsing. */
  readonly maxFrameBytes: number;
  /** Open sockets, authenticated or not; one more is refused with `server-full` (4006). */
  readonly maxConnections: number;
  /** Token bucket per connection for `send` and `history` frames: sustained rate and burst. */
  readonly framesPerSecond: number;
  readonly frameBurst: number;
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
  /** After closing a slow consumer, how long its socket may linger before it is destroyed. */
  readonly closeGraceMs: number;
  /**
   * A sealed segment holds at most this many messages, or this many envelope bytes (at least one
   * message). The unsealed messages, and so the journal replayed at start, stay about this size.
   */
  readonly segmentMessages: number;
  readonly segmentBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: MAX_FRAME_BYTES,
  maxConnections: MAX_ONLINE,
  framesPerSecond: 20,
  frameBurst: 40,
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
  segmentMessages: 10_000,
  segmentBytes: 8 * 1024 * 1024,
};

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7777;
export const DEFAULT_DATA_DIR = './secure-chat-data';
export { DEFAULT_ITERATIONS };

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`limit ${name} must be a positive number`);
  }
  return limits;
}
