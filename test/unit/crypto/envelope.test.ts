import * as assert from 'assert';
import { CryptoError, MAX_PLAINTEXT_BYTES, RoomKeys, deriveRoomKeys, openMessage, sealMessage, sealUsername, openUsername } from '../../../src/crypto';
import { LAYOUT, MAX_ENVELOPE_BYTES, MIN_ENVELOPE_BYTES } from '../../../src/crypto/envelope';
import { aesCbcEncrypt, hmacSha256 } from '../../../src/crypto/primitives';
import { everyTamperOf, testKeys, testRoom } from './fixtures';

const GENERIC = /^message rejected: it failed verification$/;
const now = 1_767_225_600_000;
const plaintext = Buffer.from('{"text":"the build is green"}');

function assertRejected(keys: RoomKeys, envelope: Uint8Array, why: string): void {
  assert.throws(() => openMessage(keys, envelope), (error: unknown) => error instanceof CryptoError && GENERIC.test(error.message), why);
}

/** An envelope with a valid tag around arbitrary contents: what only a key holder could forge. */
function forge(keys: RoomKeys, parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([body, hmacSha256(keys.messageMac, body)]);
}

describe('message envelope', () => {
  let keys: RoomKeys;
  before(async () => {
    keys = await testKeys();
  });

  it('round-trips username, body, timestamp and id', () => {
    const sealed = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
    const opened = openMessage(keys, sealed.envelope);
    assert.strictEqual(opened.username, 'dana');
    assert.deepStrictEqual(opened.plaintext, plaintext);
    assert.strictEqual(opened.timestamp, now);
    assert.deepStrictEqual(opened.messageId, sealed.messageId);
    assert.deepStrictEqual(opened.usernameBlock, sealed.envelope.subarray(LAYOUT.username, LAYOUT.messageIv));
    assert.strictEqual(sealed.envelope.length, 121 + 32, '31-byte body pads to 32');
  });

  it('rejects every single-byte change, every truncation and any extension with the one generic error', () => {
    const { envelope } = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
    for (const { bytes, why } of everyTamperOf(envelope)) assertRejected(keys, bytes, why);
    assert.doesNotThrow(() => openMessage(keys, envelope), 'the original still opens');
  });

  it('gives a fresh message id, IV, username block and ciphertext every time', () => {
    const a = sealMessage(keys, { username: 'dana', plaintext, timestamp: now }).envelope;
    const b = sealMessage(keys, { username: 'dana', plaintext, timestamp: now }).envelope;
    const field = (e: Buffer, from: number, to: number) => e.subarray(from, to).toString('hex');
    assert.notStrictEqual(field(a, LAYOUT.messageId, LAYOUT.timestamp), field(b, LAYOUT.messageId, LAYOUT.timestamp));
    assert.notStrictEqual(field(a, LAYOUT.username, LAYOUT.messageIv), field(b, LAYOUT.username, LAYOUT.messageIv));
    assert.notStrictEqual(field(a, LAYOUT.messageIv, LAYOUT.ciphertext), field(b, LAYOUT.messageIv, LAYOUT.ciphertext));
    assert.notStrictEqual(field(a, LAYOUT.ciphertext, a.length - 32), field(b, LAYOUT.ciphertext, b.length - 32));
  });

  it('never reuses the message IV for the username', () => {
    for (let i = 0; i < 50; i++) {
      const { envelope } = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
      assert.notDeepStrictEqual(envelope.subarray(LAYOUT.username, LAYOUT.username + 16), envelope.subarray(LAYOUT.messageIv, LAYOUT.ciphertext));
    }
  });

  it('binds the username to its message: a block moved from another envelope is rejected', () => {
    const a = sealMessage(keys, { username: 'dana', plaintext, timestamp: now }).envelope;
    const b = sealMessage(keys, { username: 'eve', plaintext, timestamp: now }).envelope;
    const swapped = Buffer.from(a);
    b.copy(swapped, LAYOUT.username, LAYOUT.username, LAYOUT.messageIv);
    assertRejected(keys, swapped, 'username swapped');
  });

  it('rejects envelopes of another password or another room', async () => {
    const { envelope } = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
    assertRejected(await testKeys('another password'), envelope, 'other password');
    assertRejected(await deriveRoomKeys('room password', testRoom(9)), envelope, 'other room');
  });

  it('checks the tag before decrypting: bad padding under a valid tag is the same generic error', () => {
    const iv = Buffer.alloc(16, 3);
    const unpadded = aesCbcEncrypt(keys.messageEncryption, iv, Buffer.alloc(16, 0x41), false);
    const header = sealMessage(keys, { username: 'dana', plaintext, timestamp: now }).envelope.subarray(0, LAYOUT.messageIv);
    assertRejected(keys, forge(keys, [header, iv, unpadded]), 'bad padding');
  });

  it('rejects a wrong version and a timestamp beyond 2^53 - 1 even under a valid tag', () => {
    const { envelope } = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
    const body = Buffer.from(envelope.subarray(0, envelope.length - 32));
    body[0] = 2;
    assertRejected(keys, forge(keys, [body]), 'version 2');
    const late = Buffer.from(envelope.subarray(0, envelope.length - 32));
    late.writeBigUInt64BE(2n ** 53n, LAYOUT.timestamp);
    assertRejected(keys, forge(keys, [late]), 'timestamp 2^53');
  });

  it('rejects a forged username block that is not a padded name', () => {
    const { envelope } = sealMessage(keys, { username: 'dana', plaintext, timestamp: now });
    const body = Buffer.from(envelope.subarray(0, envelope.length - 32));
    const iv = Buffer.alloc(16, 5);
    const garbage = aesCbcEncrypt(keys.usernameEncryption, iv, Buffer.from('dana\0\0\0\0\0\0\0\0\0\0\0x'), false);
    Buffer.concat([iv, garbage]).copy(body, LAYOUT.username);
    assertRejected(keys, forge(keys, [body]), 'junk after padding');
  });

  it('accepts bodies up to 32 KiB and refuses larger ones before sealing', () => {
    const largest = sealMessage(keys, { username: 'dana', plaintext: Buffer.alloc(MAX_PLAINTEXT_BYTES, 0x61), timestamp: now }).envelope;
    assert.strictEqual(largest.length, MAX_ENVELOPE_BYTES);
    assert.strictEqual(openMessage(keys, largest).plaintext.length, MAX_PLAINTEXT_BYTES);
    assert.throws(() => sealMessage(keys, { username: 'dana', plaintext: Buffer.alloc(MAX_PLAINTEXT_BYTES + 1), timestamp: now }), /at most 32768 bytes/);
    const empty = sealMessage(keys, { username: 'dana', plaintext: Buffer.alloc(0), timestamp: now }).envelope;
    assert.strictEqual(empty.length, MIN_ENVELOPE_BYTES);
    assert.strictEqual(openMessage(keys, empty).plaintext.length, 0);
  });

  it('refuses timestamps that are not non-negative safe integers', () => {
    for (const timestamp of [-1, 1.5, Number.NaN, 2 ** 53]) {
      assert.throws(() => sealMessage(keys, { username: 'dana', plaintext, timestamp }), /timestamp must be a non-negative integer/);
    }
  });

  it('username blocks open only with the right key and are always 32 bytes', async () => {
    const block = sealUsername(keys, 'é');
    assert.strictEqual(block.length, 32);
    assert.strictEqual(openUsername(keys, block), 'é');
    const otherKeys = await testKeys('another password');
    assert.throws(() => openUsername(otherKeys, block), CryptoError);
    assert.throws(() => openUsername(keys, block.subarray(0, 31)), CryptoError);
  });
});
