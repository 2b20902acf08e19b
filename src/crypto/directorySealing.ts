// The server's member directory at rest. It is sealed under a random 32-byte directory key, and that
// key is sealed in room.json under the storage keys (from the PBKDF2 output, never stored), beside
// the epoch secrets. A password change re-seals room.json alone, in one atomic write: the directory
// file never has to be rewritten in step with it, so no crash between two writes can leave a
// directory that the room's keys no longer open.
import { CryptoError } from './errors';
import { KEY_BYTES, ROOM_ID_BYTES } from './keys';
import { hkdfSha256, randomBytes } from './primitives';
import { SEALED_BOX_OVERHEAD, SecretSealingKeys, openBox, sealBox } from './sealedBox';

export const DIRECTORY_KEY_BYTES = 32;
/** A sealed directory key: IV, two AES blocks of ciphertext, tag. */
export const SEALED_DIRECTORY_KEY_BYTES = DIRECTORY_KEY_BYTES + SEALED_BOX_OVERHEAD;

/** HKDF-SHA256 info labels (ASCII) of the keys derived from the directory key, salted with the room id. */
export const DIRECTORY_LABELS = {
  encryption: 'secure-chat v2 directory encryption',
  mac: 'secure-chat v2 directory mac',
} as const;
/** What each box's tag covers before the IV: its label, then the room id. */
const SEALED_KEY_LABEL = 'secure-chat v2 directory key';
const SEALED_DIRECTORY_LABEL = 'secure-chat v2 member directory';

function header(label: string, roomId: Buffer): Buffer {
  if (roomId.length !== ROOM_ID_BYTES) throw new CryptoError();
  return Buffer.concat([Buffer.from(label, 'ascii'), roomId]);
}

function directoryKeys(directoryKey: Uint8Array, roomId: Buffer): SecretSealingKeys {
  if (directoryKey.length !== DIRECTORY_KEY_BYTES) throw new RangeError(`a directory key is ${DIRECTORY_KEY_BYTES} bytes`);
  const expand = (label: string) => hkdfSha256(directoryKey, roomId, Buffer.from(label, 'ascii'), KEY_BYTES);
  return { encryption: expand(DIRECTORY_LABELS.encryption), mac: expand(DIRECTORY_LABELS.mac) };
}

export function newDirectoryKey(): Buffer {
  return randomBytes(DIRECTORY_KEY_BYTES);
}

/** The directory key for room.json, under the storage keys (storageKeys), bound to the room. */
export function sealDirectoryKey(storage: SecretSealingKeys, roomId: Buffer, directoryKey: Uint8Array): Buffer {
  if (directoryKey.length !== DIRECTORY_KEY_BYTES) throw new RangeError(`a directory key is ${DIRECTORY_KEY_BYTES} bytes`);
  return sealBox(storage, header(SEALED_KEY_LABEL, roomId), directoryKey, false, randomBytes);
}

/** Every failure (length, tag, another room) is the generic CryptoError. */
export function openDirectoryKey(storage: SecretSealingKeys, roomId: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length !== SEALED_DIRECTORY_KEY_BYTES) throw new CryptoError();
  return openBox(storage, header(SEALED_KEY_LABEL, roomId), sealed, false);
}

/** The directory's bytes (its JSON), sealed with PKCS#7 under keys from the directory key, bound to the room. */
export function sealDirectory(directoryKey: Uint8Array, roomId: Buffer, plaintext: Uint8Array): Buffer {
  return sealBox(directoryKeys(directoryKey, roomId), header(SEALED_DIRECTORY_LABEL, roomId), plaintext, true, randomBytes);
}

/** Every failure (length, tag, another room or key, padding) is the generic CryptoError. */
export function openDirectory(directoryKey: Uint8Array, roomId: Buffer, sealed: Uint8Array): Buffer {
  return openBox(directoryKeys(directoryKey, roomId), header(SEALED_DIRECTORY_LABEL, roomId), sealed, true);
}
