// The message envelope: AES-256-CBC for the message and, separately, for the username, then one
// HMAC-SHA256 over every byte before the tag (encrypt-then-MAC). docs/PROTOCOL.md has the layout.
// Version 1 is sealed under the password-derived room keys; version 2 carries the number of the
// key epoch it is sealed under (epochs.ts) and is otherwise the same layout, four bytes later.
// Version 3 is version 2 signed: the sender's identity key after the epoch and its Ed25519
// signature (identity.ts) before the tag, verified like the MAC before anything is decrypted.
import { EpochKeys, checkEpoch } from './epochs';
import { CryptoError } from './errors';
import { IdentityKey, signEnvelope, verifyEnvelopeSignature } from './identity';
import type { RoomKeys } from './keys';
import { AES_BLOCK_BYTES, SHA256_BYTES, aesCbcDecrypt, aesCbcEncrypt, constantTimeEqual, hmacSha256, randomBytes } from './primitives';
import { MAX_PLAINTEXT_BYTES } from './limits';
import { padUsername, unpadUsername } from './username';

import {
  ENVELOPE_VERSION, ENVELOPE_VERSION_EPOCHS, ENVELOPE_VERSION_SIGNED, EPOCH_BYTES, FORMATS, IV_BYTES, LAYOUT,
  Layout, MAX_CIPHERTEXT_BYTES, MESSAGE_ID_BYTES, UNSIGNED_FORMATS, USERNAME_BLOCK_BYTES,
} from './envelopeLayout';

export {
  ENVELOPE_VERSION, ENVELOPE_VERSION_EPOCHS, ENVELOPE_VERSION_SIGNED, IV_BYTES, LAYOUT, LAYOUT_V2, LAYOUT_V3, MAX_ENVELOPE_BYTES,
  MAX_ENVELOPE_V2_BYTES, MAX_ENVELOPE_V3_BYTES, MESSAGE_ID_BYTES, MIN_ENVELOPE_BYTES, MIN_ENVELOPE_V2_BYTES, MIN_ENVELOPE_V3_BYTES,
  USERNAME_BLOCK_BYTES,
} from './envelopeLayout';

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

/** A version-1 envelope, under the password-derived room keys (the protocol of today's clients). */
export function sealMessage(keys: RoomKeys, message: MessageToSeal): SealedMessage {
  return sealMessageWith(keys, message, randomBytes);
}

/** A version-2 envelope, under the keys of one epoch, carrying its number. */
export function sealEpochMessage(keys: EpochKeys, message: MessageToSeal): SealedMessage {
  return sealEpochMessageWith(keys, message, randomBytes);
}

/** Opens a version-1 envelope. Every failure is the same CryptoError. */
export function openMessage(keys: RoomKeys, envelope: Uint8Array): OpenedMessage {
  if (envelope[LAYOUT.version] !== ENVELOPE_VERSION) throw new CryptoError();
  return openWith(keys, LAYOUT, envelope);
}

/** The keys of an epoch the caller holds, or undefined. Epoch 0 is the password-derived room keys. */
export type EpochKeyring = (epoch: number) => RoomKeys | undefined;

export interface OpenedEpochMessage extends OpenedMessage {
  readonly epoch: number;
}

/**
 * Opens a version-2 envelope under the keys of the epoch it names, or a version-1 envelope under
 * epoch 0's. An epoch the keyring lacks is refused like a forgery (peekEpoch tells the two apart
 * beforehand, without verifying anything). Every failure is the same CryptoError.
 */
export function openEpochMessage(keyring: EpochKeyring, envelope: Uint8Array): OpenedEpochMessage {
  return openIn(UNSIGNED_FORMATS, keyring, envelope).opened;
}

/** A version-3 envelope, under the keys of one epoch, signed by `identity`. */
export function sealSignedMessage(keys: EpochKeys, identity: IdentityKey, message: MessageToSeal): SealedMessage {
  return sealSignedMessageWith(keys, identity, message, randomBytes);
}

export interface OpenedRoomMessage extends OpenedEpochMessage {
  /** The public key whose signature verified (version 3), or null: an unsigned envelope of version 1 or 2. */
  readonly signer: Buffer | null;
}

export interface OpenedSignedMessage extends OpenedEpochMessage {
  readonly signer: Buffer;
}

/**
 * Opens an envelope of any version under the keys of the epoch it names: version 3 only once its
 * signature verifies, versions 1 and 2 (history from before signatures) with `signer` null. Every
 * failure is the same CryptoError.
 */
export function openRoomMessage(keyring: EpochKeyring, envelope: Uint8Array): OpenedRoomMessage {
  const { opened, layout } = openIn(FORMATS, keyring, envelope);
  const signer = layout.signatureBytes === 0 ? null : Buffer.from(envelope.subarray(layout.signer, layout.messageId));
  return { ...opened, signer };
}

/** Opens a version-3 envelope only: what a reader that requires signatures accepts. */
export function openSignedMessage(keyring: EpochKeyring, envelope: Uint8Array): OpenedSignedMessage {
  const opened = openRoomMessage(keyring, envelope);
  if (opened.signer === null) throw new CryptoError();
  return { ...opened, signer: opened.signer };
}

function openIn(formats: ReadonlyMap<number, Layout>, keyring: EpochKeyring, envelope: Uint8Array): { opened: OpenedEpochMessage; layout: Layout } {
  const epoch = peekEpoch(envelope);
  const keys = epoch === null ? undefined : keyring(epoch);
  const layout = formats.get(envelope[LAYOUT.version]);
  if (epoch === null || keys === undefined || layout === undefined) throw new CryptoError();
  return { opened: { ...openWith(keys, layout, envelope), epoch }, layout };
}

/**
 * Verifies the MAC in constant time and, in version 3, the signature before decrypting anything,
 * then decrypts. The caller has picked the layout from the version byte, which the MAC covers.
 */
function openWith(keys: RoomKeys, layout: Layout, envelope: Uint8Array): OpenedMessage {
  const ciphertextLength = envelope.length - layout.ciphertext - layout.signatureBytes - SHA256_BYTES;
  if (ciphertextLength < AES_BLOCK_BYTES || ciphertextLength > MAX_CIPHERTEXT_BYTES || ciphertextLength % AES_BLOCK_BYTES !== 0) {
    throw new CryptoError();
  }
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.length);
  const macOffset = envelope.length - SHA256_BYTES;
  const expectedMac = hmacSha256(keys.messageMac, bytes.subarray(0, macOffset));
  const macMatches = constantTimeEqual(expectedMac, bytes.subarray(macOffset));
  const roomMatches = constantTimeEqual(keys.roomId, bytes.subarray(layout.roomId, layout.epoch));
  if (!macMatches || !roomMatches) throw new CryptoError();
  const ciphertextEnd = macOffset - layout.signatureBytes;
  if (layout.signatureBytes > 0) {
    verifyEnvelopeSignature(bytes.subarray(layout.signer, layout.messageId), bytes.subarray(0, ciphertextEnd), bytes.subarray(ciphertextEnd, macOffset));
  }

  const timestamp = bytes.readBigUInt64BE(layout.timestamp);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new CryptoError();
  const messageIv = Buffer.from(bytes.subarray(layout.messageIv, layout.ciphertext));
  let plaintext: Buffer;
  try {
    plaintext = aesCbcDecrypt(keys.messageEncryption, messageIv, bytes.subarray(layout.ciphertext, ciphertextEnd));
  } catch {
    throw new CryptoError();
  }
  const usernameBlock = Buffer.from(bytes.subarray(layout.username, layout.messageIv));
  return {
    messageId: Buffer.from(bytes.subarray(layout.messageId, layout.timestamp)),
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
  return sealWith(keys, Buffer.from([ENVELOPE_VERSION]), message, random);
}

export function sealEpochMessageWith(keys: EpochKeys, message: MessageToSeal, random: RandomSource): SealedMessage {
  return sealWith(keys, Buffer.from([ENVELOPE_VERSION_EPOCHS]), message, random, epochNumber(keys));
}

export function sealSignedMessageWith(keys: EpochKeys, identity: IdentityKey, message: MessageToSeal, random: RandomSource): SealedMessage {
  const afterRoomId = Buffer.concat([epochNumber(keys), identity.publicKey]);
  return sealWith(keys, Buffer.from([ENVELOPE_VERSION_SIGNED]), message, random, afterRoomId, (signed) => signEnvelope(identity, signed));
}

function epochNumber(keys: EpochKeys): Buffer {
  checkEpoch(keys.epoch);
  const epoch = Buffer.alloc(EPOCH_BYTES);
  epoch.writeUInt32BE(keys.epoch);
  return epoch;
}

/**
 * version ‖ room id ‖ epoch (v2, v3) ‖ signer key (v3) ‖ message id ‖ timestamp ‖ username block ‖
 * IV ‖ ciphertext ‖ signature (v3, over every byte before it) ‖ tag (over every byte before it).
 */
function sealWith(
  keys: RoomKeys, version: Buffer, message: MessageToSeal, random: RandomSource, afterRoomId: Buffer = Buffer.alloc(0), sign?: (signed: Buffer) => Buffer,
): SealedMessage {
  if (message.plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new RangeError(`message must be at most ${MAX_PLAINTEXT_BYTES} bytes of UTF-8`);
  }
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) throw new RangeError('timestamp must be a non-negative integer');
  const messageId = random(MESSAGE_ID_BYTES);
  const usernameBlock = sealUsernameWith(keys, message.username, random);
  const messageIv = random(IV_BYTES);
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(message.timestamp));
  const signed = Buffer.concat([
    version,
    keys.roomId,
    afterRoomId,
    messageId,
    timestamp,
    usernameBlock,
    messageIv,
    aesCbcEncrypt(keys.messageEncryption, messageIv, message.plaintext),
  ]);
  const authenticated = sign === undefined ? signed : Buffer.concat([signed, sign(signed)]);
  return { messageId, envelope: Buffer.concat([authenticated, hmacSha256(keys.messageMac, authenticated)]) };
}

export function sealUsernameWith(keys: RoomKeys, username: string, random: RandomSource): Buffer {
  const block = padUsername(username);
  const iv = random(IV_BYTES);
  return Buffer.concat([iv, aesCbcEncrypt(keys.usernameEncryption, iv, block, false)]);
}

/** Where the fields of an unverified envelope sit: by its version byte, else version 1's. */
function layoutOf(envelope: Uint8Array): Layout {
  return FORMATS.get(envelope[LAYOUT.version]) ?? LAYOUT;
}

/** The message id of an envelope without verifying it: lets a server name the message it rejects. */
export function peekMessageId(envelope: Uint8Array): Buffer | null {
  const layout = layoutOf(envelope);
  if (envelope.length < layout.timestamp) return null;
  return Buffer.from(envelope.subarray(layout.messageId, layout.timestamp));
}

/**
 * The epoch an envelope says it is sealed under, without verifying it (0 for version 1; null for
 * a version this module does not know): lets a client ask for an epoch it lacks before opening.
 */
export function peekEpoch(envelope: Uint8Array): number | null {
  const version = envelope[LAYOUT.version];
  if (version === ENVELOPE_VERSION) return 0;
  const layout = FORMATS.get(version);
  if (layout === undefined || envelope.length < layout.epoch + EPOCH_BYTES) return null;
  return Buffer.from(envelope.buffer, envelope.byteOffset, envelope.length).readUInt32BE(layout.epoch);
}
