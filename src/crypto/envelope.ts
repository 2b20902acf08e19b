// The message envelope: AES-256-CBC for the message and, separately, for the username, then one
// HMAC-SHA256 over every byte before the tag (encrypt-then-MAC). docs/PROTOCOL.md has the layout.
import { CryptoError } from './errors';
import { ROOM_ID_BYTES, RoomKeys } from './keys';
import { AES_BLOCK_BYTES, SHA256_BYTES, aesCbcDecrypt, aesCbcEncrypt, constantTimeEqual, hmacSha256, randomBytes } from './primitives';
import { MAX_PLAINTEXT_BYTES, USERNAME_MAX_BYTES } from './limits';
import { padUsername, unpadUsername } from './username';

export const ENVELOPE_VERSION = 1;
export const MESSAGE_ID_BYTES = 16;
export const IV_BYTES = AES_BLOCK_BYTES;
/** Encrypted username as it travels: its own IV, then one AES block. */
export const USERNAME_BLOCK_BYTES = IV_BYTES + USERNAME_MAX_BYTES;

/** Byte offsets of the envelope fields. */
export const LAYOUT = {
  version: 0,
  roomId: 1,
  messageId: 1 + ROOM_ID_BYTES,
  timestamp: 1 + ROOM_ID_BYTES + MESSAGE_ID_BYTES,
  username: 1 + ROOM_ID_BYTES + MESSAGE_ID_BYTES + 8,
  messageIv: 1 + ROOM_ID_BYTES + MESSAGE_ID_BYTES + 8 + USERNAME_BLOCK_BYTES,
  ciphertext: 1 + ROOM_ID_BYTES + MESSAGE_ID_BYTES + 8 + USERNAME_BLOCK_BYTES + IV_BYTES,
} as const;
const MAX_CIPHERTEXT_BYTES = (Math.floor(MAX_PLAINTEXT_BYTES / AES_BLOCK_BYTES) + 1) * AES_BLOCK_BYTES;
export const MIN_ENVELOPE_BYTES = LAYOUT.ciphertext + AES_BLOCK_BYTES + SHA256_BYTES;
export const MAX_ENVELOPE_BYTES = LAYOUT.ciphertext + MAX_CIPHERTEXT_BYTES + SHA256_BYTES;

export interface MessageToSeal {
  readonly username: string;
  readonly plaintext: Uint8Array;
  /** Milliseconds since the Unix epoch, as the sender's clock reads. */
  readonly timestamp: number;
}

export interface SealedMessage {
  readonly messageId: Buffer;
  readonly envelope: Buffer;
}

export interface OpenedMessage {
  readonly messageId: Buffer;
  readonly timestamp: number;
  readonly username: string;
  readonly plaintext: Buffer;
  /** The message IV, unique per envelope: the server's replay index uses it alongside the message id. */
  readonly messageIv: Buffer;
  /** The encrypted username exactly as sent, for storage and presence. */
  readonly usernameBlock: Buffer;
}

type RandomSource = (length: number) => Buffer;

/** Encrypts a username into a fresh 32-byte block (its own random IV, never shared with a message). */
export function sealUsername(keys: RoomKeys, username: string): Buffer {
  return sealUsernameWith(keys, username, randomBytes);
}

/** Decrypts a username block; any malformed or forged block gives the generic CryptoError. */
export function openUsername(keys: RoomKeys, block: Uint8Array): string {
  if (block.length !== USERNAME_BLOCK_BYTES) throw new CryptoError();
  const iv = block.subarray(0, IV_BYTES);
  const name = unpadUsername(aesCbcDecrypt(keys.usernameEncryption, iv, block.subarray(IV_BYTES), false));
  if (name === null) throw new CryptoError();
  return name;
}

export function sealMessage(keys: RoomKeys, message: MessageToSeal): SealedMessage {
  return sealMessageWith(keys, message, randomBytes);
}

/**
 * Verifies the MAC in constant time before decrypting anything, then decrypts. Every failure is the
 * same CryptoError.
 */
export function openMessage(keys: RoomKeys, envelope: Uint8Array): OpenedMessage {
  const ciphertextLength = envelope.length - LAYOUT.ciphertext - SHA256_BYTES;
  if (
    envelope.length < MIN_ENVELOPE_BYTES ||
    envelope.length > MAX_ENVELOPE_BYTES ||
    ciphertextLength % AES_BLOCK_BYTES !== 0 ||
    envelope[LAYOUT.version] !== ENVELOPE_VERSION
  ) {
    throw new CryptoError();
  }
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.length);
  const macOffset = envelope.length - SHA256_BYTES;
  const expectedMac = hmacSha256(keys.messageMac, bytes.subarray(0, macOffset));
  const macMatches = constantTimeEqual(expectedMac, bytes.subarray(macOffset));
  const roomMatches = constantTimeEqual(keys.roomId, bytes.subarray(LAYOUT.roomId, LAYOUT.messageId));
  if (!macMatches || !roomMatches) throw new CryptoError();

  const timestamp = bytes.readBigUInt64BE(LAYOUT.timestamp);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new CryptoError();
  const messageIv = Buffer.from(bytes.subarray(LAYOUT.messageIv, LAYOUT.ciphertext));
  let plaintext: Buffer;
  try {
    plaintext = aesCbcDecrypt(keys.messageEncryption, messageIv, bytes.subarray(LAYOUT.ciphertext, macOffset));
  } catch {
    throw new CryptoError();
  }
  const usernameBlock = Buffer.from(bytes.subarray(LAYOUT.username, LAYOUT.messageIv));
  return {
    messageId: Buffer.from(bytes.subarray(LAYOUT.messageId, LAYOUT.timestamp)),
    timestamp: Number(timestamp),
    username: openUsername(keys, usernameBlock),
    plaintext,
    messageIv,
    usernameBlock,
  };
}

/**
 * Sealing with an explicit randomness source. Only the worked-example test passes anything but
 * crypto.randomBytes; it is not exported from the crypto module's public index.
 */
export function sealMessageWith(keys: RoomKeys, message: MessageToSeal, random: RandomSource): SealedMessage {
  if (message.plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new RangeError(`message must be at most ${MAX_PLAINTEXT_BYTES} bytes of UTF-8`);
  }
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) throw new RangeError('timestamp must be a non-negative integer');
  const messageId = random(MESSAGE_ID_BYTES);
  const usernameBlock = sealUsernameWith(keys, message.username, random);
  const messageIv = random(IV_BYTES);
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(message.timestamp));
  const authenticated = Buffer.concat([
    Buffer.from([ENVELOPE_VERSION]),
    keys.roomId,
    messageId,
    timestamp,
    usernameBlock,
    messageIv,
    aesCbcEncrypt(keys.messageEncryption, messageIv, message.plaintext),
  ]);
  return { messageId, envelope: Buffer.concat([authenticated, hmacSha256(keys.messageMac, authenticated)]) };
}

export function sealUsernameWith(keys: RoomKeys, username: string, random: RandomSource): Buffer {
  const block = padUsername(username);
  const iv = random(IV_BYTES);
  return Buffer.concat([iv, aesCbcEncrypt(keys.usernameEncryption, iv, block, false)]);
}

/** The message id of an envelope without verifying it: lets a server name the message it rejects. */
export function peekMessageId(envelope: Uint8Array): Buffer | null {
  if (envelope.length < LAYOUT.timestamp) return null;
  return Buffer.from(envelope.subarray(LAYOUT.messageId, LAYOUT.timestamp));
}
