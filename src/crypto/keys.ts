// Room keys: PBKDF2 turns the shared password into one master secret per room, and HKDF splits that
// into independent keys, one per purpose, so no key is ever used for two jobs.
import { hkdfSha256, pbkdf2Sha256, randomBytes } from './primitives';

export const ROOM_ID_BYTES = 16;
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;
export const KDF_NAME = 'pbkdf2-sha256';
/** OWASP 2023 recommendation for PBKDF2-HMAC-SHA256. */
export const DEFAULT_ITERATIONS = 600_000;
/** Upper bound a client accepts, so a hostile server cannot make it spin for minutes. */
export const MAX_ITERATIONS = 10_000_000;

export interface KdfParams {
  readonly name: typeof KDF_NAME;
  readonly iterations: number;
  readonly salt: Buffer;
}

/** What a room is, cryptographically: its id and how its key is derived. Public; the server hands it out. */
export interface RoomParams {
  readonly roomId: Buffer;
  readonly kdf: KdfParams;
}

export interface RoomKeys {
  readonly roomId: Buffer;
  readonly messageEncryption: Buffer;
  readonly messageMac: Buffer;
  readonly usernameEncryption: Buffer;
  readonly handshakeAuth: Buffer;
}

/** HKDF info labels (ASCII). Changing one changes the protocol: they are in docs/PROTOCOL.md. */
export const KEY_LABELS = {
  messageEncryption: 'secure-chat v1 message encryption',
  messageMac: 'secure-chat v1 message mac',
  usernameEncryption: 'secure-chat v1 username encryption',
  handshakeAuth: 'secure-chat v1 handshake auth',
} as const;

/** A new room: random id and salt, default work factor. */
export function createRoomParams(iterations = DEFAULT_ITERATIONS): RoomParams {
  return { roomId: randomBytes(ROOM_ID_BYTES), kdf: { name: KDF_NAME, iterations, salt: randomBytes(SALT_BYTES) } };
}

/** Null when the parameters are acceptable, otherwise why not. */
export function checkRoomParams(room: RoomParams, minIterations = DEFAULT_ITERATIONS): string | null {
  if (room.roomId.length !== ROOM_ID_BYTES) return `room id must be ${ROOM_ID_BYTES} bytes`;
  if (room.kdf.name !== KDF_NAME) return `unsupported key derivation "${String(room.kdf.name)}"`;
  if (room.kdf.salt.length !== SALT_BYTES) return `salt must be ${SALT_BYTES} bytes`;
  const { iterations } = room.kdf;
  if (!Number.isSafeInteger(iterations) || iterations < minIterations || iterations > MAX_ITERATIONS) {
    return `iterations must be an integer from ${minIterations} to ${MAX_ITERATIONS}`;
  }
  return null;
}

/** Passwords are compared as UTF-8 of their NFC form, so the same password typed on any system matches. */
export function encodePassword(password: string): Buffer {
  if (password.length === 0) throw new RangeError('password must not be empty');
  if (!password.isWellFormed()) throw new RangeError('password must be valid Unicode text');
  return Buffer.from(password.normalize('NFC'), 'utf8');
}

/** The PBKDF2 step alone: slow by design (about 150 ms at the default), so callers derive once and keep the keys. */
export function deriveMasterSecret(password: string, kdf: KdfParams): Promise<Buffer> {
  return pbkdf2Sha256(encodePassword(password), kdf.salt, kdf.iterations, KEY_BYTES);
}

/** The HKDF step: one key per label, salted with the room id. */
export function expandRoomKeys(master: Uint8Array, roomId: Buffer): RoomKeys {
  const expand = (label: string) => hkdfSha256(master, roomId, Buffer.from(label, 'ascii'), KEY_BYTES);
  return {
    roomId,
    messageEncryption: expand(KEY_LABELS.messageEncryption),
    messageMac: expand(KEY_LABELS.messageMac),
    usernameEncryption: expand(KEY_LABELS.usernameEncryption),
    handshakeAuth: expand(KEY_LABELS.handshakeAuth),
  };
}

export async function deriveRoomKeys(password: string, room: RoomParams): Promise<RoomKeys> {
  return expandRoomKeys(await deriveMasterSecret(password, room.kdf), room.roomId);
}
