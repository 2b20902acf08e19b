// The member directory at rest: its key sealed for room.json under the storage keys, and the
// directory's bytes sealed under keys from that key, each box bound to its room and its purpose.
import * as assert from 'assert';
import * as nodeCrypto from 'crypto';
import {
  CryptoError, DIRECTORY_KEY_BYTES, SEALED_DIRECTORY_KEY_BYTES, newDirectoryKey, openDirectory, openDirectoryKey, openEpochSecret,
  sealDirectory, sealDirectoryKey, sealEpochSecret, storageKeys,
} from '../../../src/crypto';
import { everyTamperOf, testRoom } from './fixtures';

const GENERIC = (error: unknown) => error instanceof CryptoError && error.message === 'message rejected: it failed verification';
const room = testRoom(21);
const other = testRoom(22);
const storage = storageKeys(Buffer.alloc(32, 5), room.roomId);
const directory = Buffer.from('{"version":1,"members":[],"renames":[]}', 'utf8');

const hkdf = (key: Buffer, label: string) => Buffer.from(nodeCrypto.hkdfSync('sha256', key, room.roomId, Buffer.from(label, 'ascii'), 32));
const hmac = (key: Buffer, ...parts: Buffer[]) => nodeCrypto.createHmac('sha256', key).update(Buffer.concat(parts)).digest();

describe('member directory sealing', () => {
  it('seals the directory key in 80 bytes: IV, AES-256-CBC without padding, HMAC over label, room id, IV and ciphertext', () => {
    const key = newDirectoryKey();
    assert.strictEqual(key.length, DIRECTORY_KEY_BYTES);
    const sealed = sealDirectoryKey(storage, room.roomId, key);
    assert.strictEqual(sealed.length, SEALED_DIRECTORY_KEY_BYTES);
    const iv = sealed.subarray(0, 16);
    const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', storage.encryption, iv).setAutoPadding(false);
    assert.deepStrictEqual(Buffer.concat([decipher.update(sealed.subarray(16, 48)), decipher.final()]), key);
    assert.deepStrictEqual(sealed.subarray(48), hmac(storage.mac, Buffer.from('secure-chat v2 directory key'), room.roomId, sealed.subarray(0, 48)));
    assert.deepStrictEqual(openDirectoryKey(storage, room.roomId, sealed), key);
    assert.notDeepStrictEqual(sealDirectoryKey(storage, room.roomId, key), sealed, 'a fresh IV each time');
  });

  it('seals the directory under HKDF keys of the directory key, with PKCS#7, bound to the room', () => {
    const key = newDirectoryKey();
    const sealed = sealDirectory(key, room.roomId, directory);
    assert.strictEqual(sealed.length, 16 + Math.ceil((directory.length + 1) / 16) * 16 + 32);
    const encryption = hkdf(key, 'secure-chat v2 directory encryption');
    const mac = hkdf(key, 'secure-chat v2 directory mac');
    const body = sealed.subarray(0, sealed.length - 32);
    assert.deepStrictEqual(sealed.subarray(body.length), hmac(mac, Buffer.from('secure-chat v2 member directory'), room.roomId, body));
    const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', encryption, body.subarray(0, 16));
    assert.deepStrictEqual(Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]), directory);
    assert.deepStrictEqual(openDirectory(key, room.roomId, sealed), directory);
    assert.deepStrictEqual(openDirectory(key, room.roomId, sealDirectory(key, room.roomId, Buffer.alloc(0))), Buffer.alloc(0));
  });

  it('opens nothing under another key or room, nor a box sealed for another purpose', () => {
    const key = newDirectoryKey();
    const sealed = sealDirectory(key, room.roomId, directory);
    assert.throws(() => openDirectory(newDirectoryKey(), room.roomId, sealed), GENERIC);
    assert.throws(() => openDirectory(key, other.roomId, sealed), GENERIC);
    const sealedKey = sealDirectoryKey(storage, room.roomId, key);
    assert.throws(() => openDirectoryKey(storage, other.roomId, sealedKey), GENERIC);
    assert.throws(() => openDirectoryKey(storageKeys(Buffer.alloc(32, 6), room.roomId), room.roomId, sealedKey), GENERIC);
    // The same 80-byte layout as an epoch secret, but neither opens as the other.
    assert.throws(() => openEpochSecret(storage, room.roomId, 0, sealedKey), GENERIC);
    assert.throws(() => openDirectoryKey(storage, room.roomId, sealEpochSecret(storage, room.roomId, 0, key)), GENERIC);
  });

  it('every bit flip, truncation and extension is the generic error', () => {
    const key = newDirectoryKey();
    for (const { bytes, why } of everyTamperOf(sealDirectory(key, room.roomId, directory))) {
      assert.throws(() => openDirectory(key, room.roomId, bytes), GENERIC, why);
    }
    for (const { bytes, why } of everyTamperOf(sealDirectoryKey(storage, room.roomId, key))) {
      assert.throws(() => openDirectoryKey(storage, room.roomId, bytes), GENERIC, why);
    }
  });

  it('refuses to seal a directory key that is not 32 bytes', () => {
    assert.throws(() => sealDirectoryKey(storage, room.roomId, Buffer.alloc(31)), /a directory key is 32 bytes/);
    assert.throws(() => sealDirectory(Buffer.alloc(33), room.roomId, directory), /a directory key is 32 bytes/);
  });
});
