// The wire protocol between chat client and server: one JSON object per WebSocket text message.
// Both ends import this module, so the shapes and the checks cannot drift apart. Byte fields travel
// as canonical base64 and are decoded to Buffers here; nothing past this module sees a raw string.
// docs/PROTOCOL.md is the normative description of every frame.
import {
  CONFIRMATION_BYTES, CPACE_ELEMENT_BYTES, CPACE_NONCE_BYTES, IDENTITY_PUBLIC_KEY_BYTES, KDF_NAME, MAX_ENVELOPE_V3_BYTES, MAX_EPOCH,
  MAX_ITERATIONS, MESSAGE_ID_BYTES, MIN_ENVELOPE_BYTES, MIN_ENVELOPE_V3_BYTES, ROOM_ID_BYTES, SALT_BYTES, SEALED_EPOCH_SECRET_BYTES, SIGNATURE_BYTES,
  USERNAME_BLOCK_BYTES,
} from '../crypto';
import * as v from 'valibot';
import { base64Bytes, encodeBase64 } from './base64';
import { Checked, check, flag, integer, list, oneOf, text, textWhere } from './check';
import { HISTORY_PAGE_MAX, MAX_DELETED_SEQS, MAX_ONLINE } from './limits';

export const PROTOCOL_VERSION = 2;
/** A presence entry: the member's identity key, the u32 epoch its username block is sealed under, then the block. */
export const PRESENCE_ENTRY_BYTES = IDENTITY_PUBLIC_KEY_BYTES + 4 + USERNAME_BLOCK_BYTES;
/** ws maxPayload: a maximal envelope in base64 inside its frame fits with room to spare. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const MAX_REQUEST_ID_LENGTH = 64;

export const ERROR_CODES = [
  'bad-frame', 'too-large', 'bad-mac', 'stale', 'replay', 'rate-limited', 'auth-failed',
  'not-authenticated', 'handshake-timeout', 'backoff', 'server-full', 'slow-consumer', 'shutting-down', 'internal',
  'storage-full', 'upgrade-required', 'password-changed', 'name-taken', 'too-many-names', 'directory-full',
  'signature-required', 'wrong-signer', 'wrong-name', 'unavailable', 'not-author', 'unknown-room',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** WebSocket close codes the server uses; 4000-4999 are free for applications (RFC 6455 7.4.2). */
export const CLOSE_CODES = {
  goingAway: 1001,
  authFailed: 4001,
  handshakeTimeout: 4002,
  backoff: 4003,
  protocolViolation: 4004,
  slowConsumer: 4005,
  serverFull: 4006,
  /** A version-1 client: its handshake cannot succeed against this server. */
  upgradeRequired: 4007,
  /** The room password changed: every connection admitted under the old one is closed. */
  passwordChanged: 4008,
  /** The URL path names no room this server serves (docs/PROTOCOL.md, rooms). */
  unknownRoom: 4009,
} as const;

// Each frame is declared once; its type is derived from the declaration.
// Version-1 and version-2 envelopes stay in the history; new ones are version 3 (signed).
const envelope = () => base64Bytes(MIN_ENVELOPE_BYTES, MAX_ENVELOPE_V3_BYTES);
/** A typing signal: a signed envelope of the one typing plaintext (protocol/typing.ts), so always the smallest size. */
const typingEnvelope = () => base64Bytes(MIN_ENVELOPE_V3_BYTES);
const epochNumber = () => integer(0, MAX_EPOCH);
/**
 * 1-64 characters of printable ASCII: characters, UTF-16 units and UTF-8 bytes then agree, whatever
 * language the other end is written in.
 */
const REQUEST_ID = new RegExp(`^[\\x20-\\x7e]{1,${MAX_REQUEST_ID_LENGTH}}$`);
const requestId = () => textWhere((value) => REQUEST_ID.test(value), `must be 1-${MAX_REQUEST_ID_LENGTH} characters of printable ASCII`);

const StoredMessageSchema = v.object({ seq: integer(1), envelope: envelope() }, 'must be an object');
export type StoredMessage = v.InferOutput<typeof StoredMessageSchema>;

const KdfSchema = v.object({
  name: v.literal(KDF_NAME, `must be "${KDF_NAME}"`),
  iterations: integer(1, MAX_ITERATIONS),
  salt: base64Bytes(SALT_BYTES),
}, 'must be an object');

// Server to client.
const ServerFrameSchema = v.variant('type', [
  v.pipe(
    v.object({ type: v.literal('hello'), version: integer(1), room: base64Bytes(ROOM_ID_BYTES), kdf: KdfSchema, nonce: base64Bytes(CPACE_NONCE_BYTES) }),
    v.transform(({ version, room, kdf, nonce }) => ({ type: 'hello' as const, version, room: { roomId: room, kdf }, nonce })),
  ),
  v.object({ type: v.literal('confirm'), share: base64Bytes(CPACE_ELEMENT_BYTES), proof: base64Bytes(CONFIRMATION_BYTES) }),
  // An epoch secret sealed under this connection's channel keys; `current` says new messages use it.
  v.object({ type: v.literal('epoch'), number: epochNumber(), secret: base64Bytes(SEALED_EPOCH_SECRET_BYTES), current: flag() }),
  v.object({ type: v.literal('welcome'), epoch: epochNumber(), online: list(base64Bytes(PRESENCE_ENTRY_BYTES), MAX_ONLINE), latestSeq: integer(0) }),
  v.object({ type: v.literal('ack'), id: base64Bytes(MESSAGE_ID_BYTES), seq: integer(1) }),
  v.object({ type: v.literal('message'), seq: integer(1), envelope: envelope() }),
  v.object({ type: v.literal('history'), requestId: requestId(), messages: list(StoredMessageSchema, HISTORY_PAGE_MAX), hasMore: flag() }),
  v.object({ type: v.literal('join'), user: base64Bytes(PRESENCE_ENTRY_BYTES) }),
  v.object({ type: v.literal('leave'), user: base64Bytes(PRESENCE_ENTRY_BYTES) }),
  // Another member online is typing: relayed as it came, never stored.
  v.object({ type: v.literal('typing'), envelope: typingEnvelope() }),
  v.object({ type: v.literal('error'), code: oneOf(ERROR_CODES, 'error code'), message: text(500), id: v.optional(base64Bytes(MESSAGE_ID_BYTES)), requestId: v.optional(requestId()) }),
], 'must be a known frame type');
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;

// Client to server.
const ClientFrameSchema = v.variant('type', [
  v.object({ type: v.literal('cpace'), nonce: base64Bytes(CPACE_NONCE_BYTES), share: base64Bytes(CPACE_ELEMENT_BYTES) }),
  v.object({ type: v.literal('confirm'), proof: base64Bytes(CONFIRMATION_BYTES) }),
  // The username block, and the identity key with its proof for this connection's CPace run (docs/PROTOCOL.md 8.6).
  v.object({
    type: v.literal('present'), epoch: epochNumber(), user: base64Bytes(USERNAME_BLOCK_BYTES),
    identity: base64Bytes(IDENTITY_PUBLIC_KEY_BYTES), identityProof: base64Bytes(SIGNATURE_BYTES),
  }),
  // Version 1's first frame, whatever its fields: recognised only to answer `upgrade-required`.
  v.object({ type: v.literal('auth') }),
  // An edit names the seq of the message it changes, a tombstone the seqs it replaces (docs/PROTOCOL.md, "Edits and deletes").
  v.pipe(
    v.object({ type: v.literal('send'), envelope: envelope(), edits: v.optional(integer(1)), deletes: v.optional(list(integer(1), MAX_DELETED_SEQS)) }),
    v.check((frame) => frame.edits === undefined || frame.deletes === undefined, '"edits" and "deletes" cannot both be given'),
    v.check((frame) => frame.deletes?.length !== 0, '"deletes" must name at least one seq'),
  ),
  // This member is typing: relayed to the room's other connections, never stored.
  v.object({ type: v.literal('typing'), envelope: typingEnvelope() }),
  v.pipe(
    v.object({ type: v.literal('history'), requestId: requestId(), before: v.optional(integer(1)), after: v.optional(integer(0)), limit: integer(1, HISTORY_PAGE_MAX) }),
    v.check((frame) => frame.before === undefined || frame.after === undefined, '"before" and "after" cannot both be given'),
  ),
], 'must be a known frame type');
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;

// Buffers become base64 strings; undefined optional fields are left out.
function toWire(frame: object): unknown {
  if (Buffer.isBuffer(frame)) return encodeBase64(frame);
  if (Array.isArray(frame)) return frame.map((item: object) => toWire(item));
  if (frame !== null && typeof frame === 'object') {
    return Object.fromEntries(Object.entries(frame).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return frame;
}

export function encodeServerFrame(frame: ServerFrame): string {
  switch (frame.type) {
    case 'hello': {
      const { room, nonce, version } = frame;
      return JSON.stringify(toWire({ type: 'hello', version, room: room.roomId, kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: room.kdf.salt }, nonce }));
    }
    // The two frames of every message, written directly: the generic walk below cost as much as
    // the rest of their encoding. Same text as it gives (base64 needs no JSON escaping).
    case 'ack':
      return `{"type":"ack","id":"${encodeBase64(frame.id)}","seq":${frame.seq}}`;
    case 'message':
      return `{"type":"message","seq":${frame.seq},"envelope":"${encodeBase64(frame.envelope)}"}`;
    default:
      return JSON.stringify(toWire(frame));
  }
}

/** One entry of a welcome's `online` list, for encodeWelcomeFrame: a JSON string of canonical base64. */
export function encodeListEntry(user: Buffer): string {
  return JSON.stringify(encodeBase64(user));
}

/**
 * The `welcome` frame from an `online` list already encoded (entries of encodeListEntry joined by
 * commas), so a server need not encode its whole list per connection; the same text as
 * encodeServerFrame gives for the frame.
 */
export function encodeWelcomeFrame(epoch: number, online: string, latestSeq: number): string {
  return `{"type":"welcome","epoch":${JSON.stringify(epoch)},"online":[${online}],"latestSeq":${JSON.stringify(latestSeq)}}`;
}

export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify(toWire(frame));
}

function parseJson(raw: string): Checked<unknown> {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, error: 'frame is not valid JSON' };
  }
}

function parseWith<S extends v.GenericSchema>(schema: S, raw: string): Checked<v.InferOutput<S>> {
  const json = parseJson(raw);
  if (!json.ok) return json;
  if (json.value === null || typeof json.value !== 'object' || Array.isArray(json.value)) return { ok: false, error: 'frame must be a JSON object' };
  return check(schema, json.value);
}

export function parseClientFrame(raw: string): Checked<ClientFrame> {
  return parseWith(ClientFrameSchema, raw);
}

export function parseServerFrame(raw: string): Checked<ServerFrame> {
  return parseWith(ServerFrameSchema, raw);
}
