// Room key epochs (protocol v2): messages are sealed under keys from a random 32-byte epoch secret,
// never from the password. Epoch 0 is the room's PBKDF2 output itself, so the keys of a version-1
// room are epoch 0's keys and its history stays readable. Epoch secrets travel only sealed: to a
// client under the CPace channel keys, and at rest under keys from the PBKDF2 output (never stored).
import { CryptoError } from './errors';
import { KEY_BYTES, ROOM_ID_BYTES, RoomKeys, expandRoomKeys } from './keys';
import { hkdfSha256, randomBytes } from './primitives';
import { RandomSource, SEALED_BOX_OVERHEAD, SecretSealingKeys, openBox, sealBox } from './sealedBox';

export const EPOCH_SECRET_BYTES = 32;
/** Epoch numbers are u32 on the wire and in the envelope. */
export const MAX_EPOCH = 0xffff_ffff;
/** A sealed epoch secret: IV, two AES blocks of ciphertext, tag. */
export const SEALED_EPOCH_SECRET_BYTES = EPOCH_SECRET_BYTES + SEALED_BOX_OVERHEAD;

/** Room keys of one epoch: the envelope carries the number, so it travels with the keys. */
export interface EpochKeys extends RoomKeys {
  readonly epoch: number;
}

/** HKDF-SHA256 info labels (ASCII) of the keys derived from the PBKDF2 output in v2. */
export const STORAGE_LABELS = {
  encryption: 'secure-chat v2 epoch storage encryption',
  mac: 'secure-chat v2 epoch storage mac',
} as const;
const SEALED_SECRET_LABEL = Buffer.from('secure-chat v2 epoch secret', 'ascii');

function isEpoch(epoch: number): boolean {
  return Number.isInteger(epoch) && epoch >= 0 && epoch <= MAX_EPOCH;
}

/** Throws a RangeError unless the number can be an epoch (a u32): for what a caller seals. */
export function checkEpoch(epoch: number): void {
  if (!isEpoch(epoch)) throw new RangeError(`epoch must be an integer from 0 to ${MAX_EPOCH}`);
}

export function newEpochSecret(): Buffer {
  return randomBytes(EPOCH_SECRET_BYTES);
}

/** The message keys of an epoch: HKDF with the labels of version 1 (docs/PROTOCOL.md part 2), salted with the room id. */
export function epochKeys(epochSecret: Uint8Array, roomId: Buffer, epoch: number): EpochKeys {
  checkEpoch(epoch);
  if (epochSecret.length !== EPOCH_SECRET_BYTES) throw new RangeError(`an epoch secret is ${EPOCH_SECRET_BYTES} bytes`);
  return { ...expandRoomKeys(epochSecret, roomId), epoch };
}

/** The keys that seal epoch secrets at rest, from the PBKDF2 output: a server holds them in memory only. */
export function storageKeys(master: Uint8Array, roomId: Buffer): SecretSealingKeys {
  const expand = (label: string) => hkdfSha256(master, roomId, Buffer.from(label, 'ascii'), KEY_BYTES);
  return { encryption: expand(STORAGE_LABELS.encryption), mac: expand(STORAGE_LABELS.mac) };
}

/** Everything the tag covers before the IV and ciphertext: the label, the room and the epoch number. */
function sealedSecretHeader(roomId: Buffer, epoch: number): Buffer {
  if (!isEpoch(epoch) || roomId.length !== ROOM_ID_BYTES) throw new CryptoError();
  const number = Buffer.alloc(4);
  number.writeUInt32BE(epoch);
  return Buffer.concat([SEALED_SECRET_LABEL, roomId, number]);
}

/** Encrypt-then-MAC of one epoch secret, bound to its room and epoch number. */
export function sealEpochSecret(keys: SecretSealingKeys, roomId: Buffer, epoch: number, secret: Uint8Array): Buffer {
  return sealEpochSecretWith(keys, roomId, epoch, secret, randomBytes);
}

/** Verifies the tag in constant time before decrypting; every failure is the generic CryptoError. */
export function openEpochSecret(keys: SecretSealingKeys, roomId: Buffer, epoch: number, sealed: Uint8Array): Buffer {
  if (sealed.length !== SEALED_EPOCH_SECRET_BYTES) throw new CryptoError();
  return openBox(keys, sealedSecretHeader(roomId, epoch), sealed, false);
}

/** Sealing with an explicit randomness source: only the worked-example test passes anything but crypto.randomBytes. */
export function sealEpochSecretWith(keys: SecretSealingKeys, roomId: Buffer, epoch: number, secret: Uint8Array, random: RandomSource): Buffer {
  if (secret.length !== EPOCH_SECRET_BYTES) throw new RangeError(`an epoch secret is ${EPOCH_SECRET_BYTES} bytes`);
  checkEpoch(epoch);
  return sealBox(keys, sealedSecretHeader(roomId, epoch), secret, false, random);
}
