// Room key epochs: epoch keys, epoch secrets sealed for the channel and for storage, the verifier,
// and envelope version 2 (with version 1 still opening under epoch 0).
import * as assert from 'assert';
import {
  CryptoError, EpochKeys, MAX_ENVELOPE_V2_BYTES, MAX_PLAINTEXT_BYTES, MIN_ENVELOPE_V2_BYTES, SEALED_EPOCH_SECRET_BYTES,
  epochKeys, newEpochSecret, openEpochMessage, openEpochSecret, openMessage, peekEpoch, peekMessageId, roomVerifier,
  sealEpochMessage, sealEpochSecret, sealMessage, storageKeys,
} from '../../../src/crypto';
import { EpochKeyring, LAYOUT_V2 } from '../../../src/crypto/envelope';
import { deriveMasterSecret, expandRoomKeys } from '../../../src/crypto/keys';
import { aesCbcEncrypt, hmacSha256, randomBytes } from '../../../src/crypto/primitives';
import { everyTamperOf, testEpochs, testRoom } from './fixtures';

const GENERIC = (error: unknown) => error instanceof CryptoError && error.message === 'message rejected: it failed verification';
const now = 1_767_225_600_000;
const plaintext = Buffer.from('{"text":"epoch two"}');
const room = testRoom(11);

describe('room key epochs', () => {
  let master: Buffer;
  before(async () => {
    master = await deriveMasterSecret('room password', room.kdf);
  });

  it('epoch 0 is the version-1 room keys: its secret is the PBKDF2 output', () => {
    const zero = epochKeys(master, room.roomId, 0);
    const v1 = expandRoomKeys(master, room.roomId);
    assert.strictEqual(zero.epoch, 0);
    assert.deepStrictEqual({ ...zero, epoch: undefined }, { ...v1, epoch: undefined });
  });

  it('random epoch secrets give independent keys; the number does not change the keys, the secret does', () => {
    const a = newEpochSecret();
    const b = newEpochSecret();
    assert.strictEqual(a.length, 32);
    assert.notDeepStrictEqual(a, b);
    const ka = epochKeys(a, room.roomId, 1);
    const kb = epochKeys(b, room.roomId, 1);
    assert.notDeepStrictEqual(ka.messageEncryption, kb.messageEncryption);
    assert.deepStrictEqual(epochKeys(a, room.roomId, 2).messageMac, ka.messageMac);
    assert.throws(() => epochKeys(a, room.roomId, -1), /epoch must be an integer from 0 to 4294967295/);
    assert.throws(() => epochKeys(a, room.roomId, 2 ** 32), /epoch must be an integer/);
    assert.throws(() => epochKeys(a.subarray(1), room.roomId, 1), /an epoch secret is 32 bytes/);
  });

  it('the verifier is version 1\'s: HMAC-SHA256(K_auth of epoch 0, "secure-chat v1 verifier")', () => {
    const expected = hmacSha256(expandRoomKeys(master, room.roomId).handshakeAuth, Buffer.from('secure-chat v1 verifier'));
    assert.deepStrictEqual(roomVerifier(expandRoomKeys(master, room.roomId)), expected);
    assert.notDeepStrictEqual(roomVerifier(expandRoomKeys(randomBytes(32), room.roomId)), expected);
  });

  describe('sealed epoch secrets', () => {
    const channel = { encryption: randomBytes(32), mac: randomBytes(32) };

    it('round-trip under the channel keys and under the storage keys, 80 bytes with a fresh IV each time', () => {
      const secret = newEpochSecret();
      for (const keys of [channel, storageKeys(master, room.roomId)]) {
        const a = sealEpochSecret(keys, room.roomId, 3, secret);
        const b = sealEpochSecret(keys, room.roomId, 3, secret);
        assert.strictEqual(a.length, SEALED_EPOCH_SECRET_BYTES);
        assert.strictEqual(SEALED_EPOCH_SECRET_BYTES, 80);
        assert.notDeepStrictEqual(a.subarray(0, 16), b.subarray(0, 16));
        assert.notDeepStrictEqual(a, b);
        assert.deepStrictEqual(openEpochSecret(keys, room.roomId, 3, a), secret);
        assert.deepStrictEqual(openEpochSecret(keys, room.roomId, 3, b), secret);
      }
    });

    it('storage keys come from the password alone: another password, or the channel keys, open nothing', async () => {
      const secret = newEpochSecret();
      const stored = sealEpochSecret(storageKeys(master, room.roomId), room.roomId, 1, secret);
      const other = await deriveMasterSecret('another password', room.kdf);
      assert.throws(() => openEpochSecret(storageKeys(other, room.roomId), room.roomId, 1, stored), GENERIC);
      assert.throws(() => openEpochSecret(channel, room.roomId, 1, stored), GENERIC);
      assert.throws(() => openEpochSecret(storageKeys(master, testRoom(12).roomId), testRoom(12).roomId, 1, stored), GENERIC);
      assert.notDeepStrictEqual(storageKeys(master, room.roomId).encryption, expandRoomKeys(master, room.roomId).messageEncryption);
    });

    it('bound to room and epoch: moved to another epoch number or room it is refused', () => {
      const sealed = sealEpochSecret(channel, room.roomId, 5, newEpochSecret());
      assert.throws(() => openEpochSecret(channel, room.roomId, 6, sealed), GENERIC);
      assert.throws(() => openEpochSecret(channel, testRoom(12).roomId, 5, sealed), GENERIC);
      for (const epoch of [-1, 2 ** 32, 5.5, Number.NaN]) assert.throws(() => openEpochSecret(channel, room.roomId, epoch, sealed), GENERIC, `epoch ${epoch}`);
      assert.throws(() => openEpochSecret(channel, room.roomId.subarray(1), 5, sealed), GENERIC);
    });

    it('every bit flip, truncation and extension is the generic error; the tag is checked before decryption', () => {
      const sealed = sealEpochSecret(channel, room.roomId, 5, newEpochSecret());
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        const tampered = Buffer.from(sealed);
        tampered[bit >> 3] ^= 1 << (bit & 7);
        assert.throws(() => openEpochSecret(channel, room.roomId, 5, tampered), GENERIC, `bit ${bit}`);
      }
      for (let length = 0; length < sealed.length; length++) {
        assert.throws(() => openEpochSecret(channel, room.roomId, 5, sealed.subarray(0, length)), GENERIC, `length ${length}`);
      }
      assert.throws(() => openEpochSecret(channel, room.roomId, 5, Buffer.concat([sealed, Buffer.alloc(1)])), GENERIC);
    });

    it('refuses to seal what is not a 32-byte secret or a u32 epoch', () => {
      assert.throws(() => sealEpochSecret(channel, room.roomId, 1, Buffer.alloc(31)), /an epoch secret is 32 bytes/);
      assert.throws(() => sealEpochSecret(channel, room.roomId, 1.5, newEpochSecret()), /epoch must be an integer/);
    });
  });
});

describe('message envelope version 2', () => {
  let zero: EpochKeys;
  let seven: EpochKeys;
  let keyring: EpochKeyring;
  before(async () => {
    ({ zero, seven, keyring } = await testEpochs(room));
  });

  const assertRejected = (envelope: Uint8Array, why: string, ring = keyring) => assert.throws(() => openEpochMessage(ring, envelope), GENERIC, why);

  it('round-trips and carries the epoch as a u32 after the room id', () => {
    const sealed = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now });
    const e = sealed.envelope;
    assert.strictEqual(e[0], 2);
    assert.deepStrictEqual(e.subarray(1, 17), room.roomId);
    assert.strictEqual(e.readUInt32BE(17), 7);
    assert.deepStrictEqual(e.subarray(21, 37), sealed.messageId);
    assert.strictEqual(e.length, 125 + 32, 'v1 layout plus 4 bytes; the 20-byte body pads to 32');
    const opened = openEpochMessage(keyring, e);
    assert.strictEqual(opened.epoch, 7);
    assert.strictEqual(opened.username, 'dana');
    assert.deepStrictEqual(opened.plaintext, plaintext);
    assert.strictEqual(opened.timestamp, now);
    assert.deepStrictEqual(opened.messageId, sealed.messageId);
    assert.deepStrictEqual(opened.messageIv, e.subarray(LAYOUT_V2.messageIv, LAYOUT_V2.ciphertext));
    assert.deepStrictEqual(opened.usernameBlock, e.subarray(LAYOUT_V2.username, LAYOUT_V2.messageIv));
    assert.strictEqual(peekEpoch(e), 7);
    assert.deepStrictEqual(peekMessageId(e), sealed.messageId);
  });

  it('keeps opening version-1 envelopes, as epoch 0', () => {
    const v1 = sealMessage(zero, { username: 'erin', plaintext, timestamp: now });
    const opened = openEpochMessage(keyring, v1.envelope);
    assert.strictEqual(opened.epoch, 0);
    assert.strictEqual(opened.username, 'erin');
    assert.strictEqual(peekEpoch(v1.envelope), 0);
    assertRejected(v1.envelope, 'v1 needs epoch 0', (epoch) => (epoch === 7 ? seven : undefined));
  });

  it('an epoch the keyring lacks, or another epoch\'s keys, is the generic error', () => {
    const { envelope } = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now });
    assertRejected(envelope, 'no keys for 7', (epoch) => (epoch === 0 ? zero : undefined));
    assertRejected(envelope, 'epoch 0 keys for 7', () => zero);
    const renumbered = Buffer.from(envelope);
    renumbered.writeUInt32BE(0, 17);
    assertRejected(renumbered, 'renumbered to 0');
  });

  it('version-1 opening refuses version 2 (nothing opens a v2 envelope as v1)', () => {
    const { envelope } = sealEpochMessage(zero, { username: 'dana', plaintext, timestamp: now });
    assert.throws(() => openMessage(zero, envelope), GENERIC);
    const asV1 = Buffer.from(envelope);
    asV1[0] = 1;
    assertRejected(asV1, 'v2 relabelled v1');
  });

  it('rejects every single-byte change, every truncation and any extension', () => {
    const { envelope } = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now });
    for (const { bytes, why } of everyTamperOf(envelope)) assertRejected(bytes, why);
    assert.strictEqual(openEpochMessage(keyring, envelope).epoch, 7, 'the original still opens');
  });

  it('checks the tag before decrypting: bad padding under a valid tag is the generic error', () => {
    const header = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now }).envelope.subarray(0, LAYOUT_V2.messageIv);
    const iv = Buffer.alloc(16, 3);
    const body = Buffer.concat([header, iv, aesCbcEncrypt(seven.messageEncryption, iv, Buffer.alloc(16, 0x41), false)]);
    assertRejected(Buffer.concat([body, hmacSha256(seven.messageMac, body)]), 'bad padding');
  });

  it('fresh ids and IVs; sizes from 141 to MAX_ENVELOPE_V2_BYTES', () => {
    const a = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now }).envelope;
    const b = sealEpochMessage(seven, { username: 'dana', plaintext, timestamp: now }).envelope;
    assert.notDeepStrictEqual(a.subarray(LAYOUT_V2.messageId, LAYOUT_V2.timestamp), b.subarray(LAYOUT_V2.messageId, LAYOUT_V2.timestamp));
    assert.notDeepStrictEqual(a.subarray(LAYOUT_V2.username, LAYOUT_V2.username + 16), b.subarray(LAYOUT_V2.username, LAYOUT_V2.username + 16));
    assert.notDeepStrictEqual(a.subarray(LAYOUT_V2.messageIv, LAYOUT_V2.ciphertext), b.subarray(LAYOUT_V2.messageIv, LAYOUT_V2.ciphertext));
    const empty = sealEpochMessage(seven, { username: 'dana', plaintext: Buffer.alloc(0), timestamp: now }).envelope;
    assert.strictEqual(empty.length, MIN_ENVELOPE_V2_BYTES);
    assert.strictEqual(MIN_ENVELOPE_V2_BYTES, 141);
    const largest = sealEpochMessage(seven, { username: 'dana', plaintext: Buffer.alloc(MAX_PLAINTEXT_BYTES, 0x61), timestamp: now }).envelope;
    assert.strictEqual(largest.length, MAX_ENVELOPE_V2_BYTES);
    assert.strictEqual(openEpochMessage(keyring, largest).plaintext.length, MAX_PLAINTEXT_BYTES);
  });

  it('peekEpoch names no epoch for anything but versions 1 to 3', () => {
    assert.strictEqual(peekEpoch(Buffer.from([4, ...Buffer.alloc(200)])), null);
    assert.strictEqual(peekEpoch(Buffer.alloc(0)), null);
    assert.strictEqual(peekEpoch(Buffer.from([2, ...Buffer.alloc(19)])), null, 'too short to hold an epoch');
  });
});
