// The wire protocol between chat client and server: one JSON object per WebSocket text message.
// Both ends import this module, so the shapes and the checks cannot drift apart. Byte fields travel
// as canonical base64 and are decoded to Buffers here; nothing past this module sees a raw string.
// docs/PROTOCOL.md is the normative description of every frame.
import {
  KDF_NAME, MAX_ENVELOPE_BYTES, MAX_ITERATIONS, MESSAGE_ID_BYTES, MIN_ENVELOPE_BYTES, NONCE_BYTES, PROOF_BYTES,
  ROOM_ID_BYTES, RoomParams, SALT_BYTES, USERNAME_BLOCK_BYTES,
} from '../crypto';
import { decodeBase64, encodeBase64 } from './base64';

export const PROTOCOL_VERSION = 1;
/** ws maxPayload: a maximal envelope in base64 inside its frame fits with room to spare. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const HISTORY_PAGE_MAX = 200;
export const MAX_REQUEST_ID_LENGTH = 64;
/** Cap on the online list a client accepts, matching the server's default connection limit. */
export const MAX_ONLINE = 1024;

export const ERROR_CODES = [
  'bad-frame', 'too-large', 'bad-mac', 'stale', 'replay', 'rate-limited', 'auth-failed',
  'not-authenticated', 'handshake-timeout', 'backoff', 'server-full', 'slow-consumer', 'shutting-down', 'internal',
  'storage-full',
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
} as const;

export interface StoredMessage {
  readonly seq: number;
  readonly envelope: Buffer;
}

// Server to client.
export type ServerFrame =
  | { type: 'hello'; version: number; room: RoomParams; nonce: Buffer }
  | { type: 'welcome'; proof: Buffer; online: Buffer[]; latestSeq: number }
  | { type: 'ack'; id: Buffer; seq: number }
  | { type: 'message'; seq: number; envelope: Buffer }
  | { type: 'history'; requestId: string; messages: StoredMessage[]; hasMore: boolean }
  | { type: 'join'; user: Buffer }
  | { type: 'leave'; user: Buffer }
  | { type: 'error'; code: ErrorCode; message: string; id?: Buffer; requestId?: string };

// Client to server.
export type ClientFrame =
  | { type: 'auth'; nonce: Buffer; user: Buffer; proof: Buffer }
  | { type: 'send'; envelope: Buffer }
  | { type: 'history'; requestId: string; before?: number; after?: number; limit: number };

export type Parsed<T> = { ok: true; frame: T } | { ok: false; error: string };

type Json = Record<string, unknown>;

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
  if (frame.type === 'hello') {
    const { room, nonce, version } = frame;
    return JSON.stringify(toWire({ type: 'hello', version, room: room.roomId, kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: room.kdf.salt }, nonce }));
  }
  return JSON.stringify(toWire(frame));
}

export function encodeClientFrame(frame: ClientFrame): string {
  return JSON.stringify(toWire(frame));
}

/** Thrown inside the parsers; turned into a Parsed error at their edge. */
class FrameError extends Error {}

function parseObject(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError('frame is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FrameError('frame must be a JSON object');
  return value as Json;
}

function bytes(object: Json, key: string, min: number, max: number = min): Buffer {
  const decoded = decodeBase64(object[key], min, max);
  if (!decoded) throw new FrameError(min === max ? `"${key}" must be ${min} bytes of base64` : `"${key}" must be ${min}-${max} bytes of base64`);
  return decoded;
}

function integer(object: Json, key: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new FrameError(`"${key}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

function optionalInteger(object: Json, key: string, min: number): number | undefined {
  return object[key] === undefined ? undefined : integer(object, key, min);
}

function text(object: Json, key: string, maxLength: number, minLength = 0): string {
  const value = object[key];
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw new FrameError(`"${key}" must be a string of ${minLength}-${maxLength} characters`);
  }
  return value;
}

/**
 * 1-64 characters of printable ASCII: characters, UTF-16 units and UTF-8 bytes then agree, whatever
 * language the other end is written in.
 */
function requestId(object: Json): string {
  const value = object.requestId;
  if (typeof value !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(value)) {
    throw new FrameError(`"requestId" must be 1-${MAX_REQUEST_ID_LENGTH} characters of printable ASCII`);
  }
  return value;
}

function boolean(object: Json, key: string): boolean {
  if (typeof object[key] !== 'boolean') throw new FrameError(`"${key}" must be true or false`);
  return object[key] as boolean;
}

function array(object: Json, key: string, maxItems: number): unknown[] {
  const value = object[key];
  if (!Array.isArray(value) || value.length > maxItems) throw new FrameError(`"${key}" must be an array of at most ${maxItems} items`);
  return value;
}

function envelope(object: Json, key = 'envelope'): Buffer {
  return bytes(object, key, MIN_ENVELOPE_BYTES, MAX_ENVELOPE_BYTES);
}

function userBlocks(object: Json, key: string): Buffer[] {
  return array(object, key, MAX_ONLINE).map((item) => bytes({ item }, 'item', USERNAME_BLOCK_BYTES));
}

function storedMessages(object: Json): StoredMessage[] {
  return array(object, 'messages', HISTORY_PAGE_MAX).map((item) => {
    if (item === null || typeof item !== 'object') throw new FrameError('"messages" items must be objects');
    return { seq: integer(item as Json, 'seq', 1), envelope: envelope(item as Json) };
  });
}

function room(object: Json): RoomParams {
  const kdf = object.kdf;
  if (kdf === null || typeof kdf !== 'object') throw new FrameError('"kdf" must be an object');
  const params = kdf as Json;
  if (params.name !== KDF_NAME) throw new FrameError(`"kdf.name" must be "${KDF_NAME}"`);
  return {
    roomId: bytes(object, 'room', ROOM_ID_BYTES),
    kdf: { name: KDF_NAME, iterations: integer(params, 'iterations', 1, MAX_ITERATIONS), salt: bytes(params, 'salt', SALT_BYTES) },
  };
}

function parseWith<T>(raw: string, parse: (object: Json) => T): Parsed<T> {
  try {
    return { ok: true, frame: parse(parseObject(raw)) };
  } catch (error) {
    if (error instanceof FrameError) return { ok: false, error: error.message };
    throw error;
  }
}

export function parseClientFrame(raw: string): Parsed<ClientFrame> {
  return parseWith<ClientFrame>(raw, (o) => {
    switch (o.type) {
      case 'auth':
        return { type: 'auth', nonce: bytes(o, 'nonce', NONCE_BYTES), user: bytes(o, 'user', USERNAME_BLOCK_BYTES), proof: bytes(o, 'proof', PROOF_BYTES) };
      case 'send':
        return { type: 'send', envelope: envelope(o) };
      case 'history': {
        const before = optionalInteger(o, 'before', 1);
        const after = optionalInteger(o, 'after', 0);
        if (before !== undefined && after !== undefined) throw new FrameError('"before" and "after" cannot both be given');
        return { type: 'history', requestId: requestId(o), before, after, limit: integer(o, 'limit', 1, HISTORY_PAGE_MAX) };
      }
      default:
        throw new FrameError('unknown frame type');
    }
  });
}

export function parseServerFrame(raw: string): Parsed<ServerFrame> {
  return parseWith<ServerFrame>(raw, (o) => {
    switch (o.type) {
      case 'hello':
        return { type: 'hello', version: integer(o, 'version', 1), room: room(o), nonce: bytes(o, 'nonce', NONCE_BYTES) };
      case 'welcome':
        return { type: 'welcome', proof: bytes(o, 'proof', PROOF_BYTES), online: userBlocks(o, 'online'), latestSeq: integer(o, 'latestSeq', 0) };
      case 'ack':
        return { type: 'ack', id: bytes(o, 'id', MESSAGE_ID_BYTES), seq: integer(o, 'seq', 1) };
      case 'message':
        return { type: 'message', seq: integer(o, 'seq', 1), envelope: envelope(o) };
      case 'history':
        return { type: 'history', requestId: requestId(o), messages: storedMessages(o), hasMore: boolean(o, 'hasMore') };
      case 'join':
      case 'leave':
        return { type: o.type, user: bytes(o, 'user', USERNAME_BLOCK_BYTES) };
      case 'error': {
        const code = o.code;
        if (!ERROR_CODES.includes(code as ErrorCode)) throw new FrameError('unknown error code');
        const id = o.id === undefined ? undefined : bytes(o, 'id', MESSAGE_ID_BYTES);
        return { type: 'error', code: code as ErrorCode, message: text(o, 'message', 500), id, requestId: o.requestId === undefined ? undefined : requestId(o) };
      }
      default:
        throw new FrameError('unknown frame type');
    }
  });
}
