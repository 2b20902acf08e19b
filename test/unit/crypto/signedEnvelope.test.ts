// Envelope version 3: version 2 with the sender's identity key after the epoch and its Ed25519
// signature before the tag. Byte layout, round trip, and every forgery a room-key holder could try.
import * as assert from 'assert';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  CryptoError, EpochKeys, IdentityKey, MAX_ENVELOPE_V3_BYTES, MAX_PLAINTEXT_BYTES, MIN_ENVELOPE_V3_BYTES, openEpochMessage, openMessage, openRoomMessage, openSignedMessage, peekEpoch, peekMessageId,
  sealEpochMessage, sealMessage, sealSignedMessage,
} from '../../../src/crypto';
import { EpochKeyring, LAYOUT_V3 } from '../../../src/crypto/envelope';
import { messageSignatureInput, signEnvelope } from '../../../src/crypto/identity';
import { aesCbcEncrypt, hmacSha256 } from '../../../src/crypto/primitives';
import { everyTamperOf, testEpochs, testRoom } from './fixtures';

const GENERIC = (error: unknown) => error instanceof CryptoError && error.message === 'message rejected: it failed verification';
const now = 1_767_225_600_000;
const plaintext = Buffer.from('{"text":"signed, sealed"}');
const room = testRoom(13);

describe('message envelope version 3 (signed)', () => {
  let zero: EpochKeys;
  let seven: EpochKeys;
  let keyring: EpochKeyring;
  const alice = IdentityKey.generate();
  const mallory = IdentityKey.generate();
  before(async () => {
    ({ zero, seven, keyring } = await testEpochs(room));
  });

  const seal = (identity = alice, body = plaintext) => sealSignedMessage(seven, identity, { username: 'alice', plaintext: body, timestamp: now });
  const assertRejected = (envelope: Uint8Array, why: string) => {
    assert.throws(() => openRoomMessage(keyring, envelope), GENERIC, why);
    assert.throws(() => openSignedMessage(keyring, envelope), GENERIC, why);
  };
  /** Replaces the tag: what any holder of the room key can do, and the signature must stop. */
  const remac = (withoutTag: Buffer) => Buffer.concat([withoutTag, hmacSha256(seven.messageMac, withoutTag)]);

  it('lays out version, room, epoch, signer key, id, time, name, IV, ciphertext, signature, tag at the printed offsets', () => {
    assert.deepStrictEqual(
      { ...LAYOUT_V3 },
      { version: 0, roomId: 1, epoch: 17, signer: 21, messageId: 53, timestamp: 69, username: 77, messageIv: 109, ciphertext: 125, signatureBytes: 64 },
    );
    const sealed = seal();
    const e = sealed.envelope;
    const n = 32; // the 26-byte body pads to two blocks
    assert.strictEqual(e.length, 125 + n + 64 + 32);
    assert.strictEqual(e[0], 3);
    assert.deepStrictEqual(e.subarray(1, 17), room.roomId);
    assert.strictEqual(e.readUInt32BE(17), 7);
    assert.deepStrictEqual(e.subarray(21, 53), alice.publicKey);
    assert.deepStrictEqual(e.subarray(53, 69), sealed.messageId);
    assert.strictEqual(Number(e.readBigUInt64BE(69)), now);
    const signed = e.subarray(0, 125 + n);
    const signature = e.subarray(125 + n, 125 + n + 64);
    assert.strictEqual(messageSignatureInput(signed).subarray(0, 32).toString('ascii'), 'secure-chat v3 message signature');
    assert.ok(ed25519.verify(signature, messageSignatureInput(signed), alice.publicKey, { zip215: false }), 'a second Ed25519 implementation agrees');
    assert.deepStrictEqual(signature, signEnvelope(alice, signed));
    assert.deepStrictEqual(e.subarray(125 + n + 64), hmacSha256(seven.messageMac, e.subarray(0, 125 + n + 64)), 'the tag covers the signature too');
  });

  it('round-trips with the signer it verified; peeks read its epoch and message id', () => {
    const sealed = seal();
    for (const opened of [openRoomMessage(keyring, sealed.envelope), openSignedMessage(keyring, sealed.envelope)]) {
      assert.deepStrictEqual(opened.signer, alice.publicKey);
      assert.strictEqual(opened.epoch, 7);
      assert.strictEqual(opened.username, 'alice');
      assert.deepStrictEqual(opened.plaintext, plaintext);
      assert.strictEqual(opened.timestamp, now);
      assert.deepStrictEqual(opened.messageId, sealed.messageId);
      assert.deepStrictEqual(opened.messageIv, sealed.envelope.subarray(LAYOUT_V3.messageIv, LAYOUT_V3.ciphertext));
      assert.deepStrictEqual(opened.usernameBlock, sealed.envelope.subarray(LAYOUT_V3.username, LAYOUT_V3.messageIv));
    }
    assert.strictEqual(peekEpoch(sealed.envelope), 7);
    assert.deepStrictEqual(peekMessageId(sealed.envelope), sealed.messageId);
  });

  it('sizes from 237 to MAX_ENVELOPE_V3_BYTES (33,005): version 2 plus 96 bytes', () => {
    assert.strictEqual(MIN_ENVELOPE_V3_BYTES, 237);
    assert.strictEqual(MAX_ENVELOPE_V3_BYTES, 33_005);
    assert.strictEqual(seal(alice, Buffer.alloc(0)).envelope.length, MIN_ENVELOPE_V3_BYTES);
    const largest = seal(alice, Buffer.alloc(MAX_PLAINTEXT_BYTES, 0x61)).envelope;
    assert.strictEqual(largest.length, MAX_ENVELOPE_V3_BYTES);
    assert.strictEqual(openSignedMessage(keyring, largest).plaintext.length, MAX_PLAINTEXT_BYTES);
  });

  it('rejects every single-byte change, every truncation and any extension', () => {
    const { envelope } = seal();
    for (const { bytes, why } of everyTamperOf(envelope)) assertRejected(bytes, why);
    assert.deepStrictEqual(openSignedMessage(keyring, envelope).signer, alice.publicKey, 'the original still opens');
  });

  it('a room-key holder cannot pass a message off as another member\'s: a swapped key or signature under a fresh tag is refused', () => {
    const { envelope } = seal(mallory);
    const body = envelope.subarray(0, envelope.length - 32);
    const asAlice = Buffer.from(body);
    alice.publicKey.copy(asAlice, LAYOUT_V3.signer);
    assertRejected(remac(asAlice), 'alice\'s key, mallory\'s signature');

    const genuine = seal(alice).envelope;
    const withAlicesSignature = Buffer.from(body);
    alice.publicKey.copy(withAlicesSignature, LAYOUT_V3.signer);
    genuine.copy(withAlicesSignature, body.length - 64, genuine.length - 96, genuine.length - 32);
    assertRejected(remac(withAlicesSignature), 'a signature of alice\'s from another message');
  });

  it('a changed field under a fresh tag is refused by the signature: it covers every field', () => {
    const { envelope } = seal();
    const body = envelope.subarray(0, envelope.length - 32);
    const fields: Record<string, number> = {
      epoch: LAYOUT_V3.epoch + 3, 'message id': LAYOUT_V3.messageId, timestamp: LAYOUT_V3.timestamp + 7,
      'username block': LAYOUT_V3.username, IV: LAYOUT_V3.messageIv, ciphertext: LAYOUT_V3.ciphertext, signature: body.length - 1,
    };
    for (const [field, offset] of Object.entries(fields)) {
      const changed = Buffer.from(body);
      changed[offset] ^= 0x01;
      assertRejected(remac(changed), field);
    }
    const stripped = Buffer.from(body.subarray(0, body.length - 64));
    assertRejected(remac(stripped), 'signature removed');
  });

  it('a valid signature does not excuse bad padding: the generic error, after both checks', () => {
    const header = seal().envelope.subarray(0, LAYOUT_V3.messageIv);
    const iv = Buffer.alloc(16, 3);
    const signed = Buffer.concat([header, iv, aesCbcEncrypt(seven.messageEncryption, iv, Buffer.alloc(16, 0x41), false)]);
    assertRejected(remac(Buffer.concat([signed, signEnvelope(alice, signed)])), 'bad padding, good signature');
  });

  it('versions 1 and 2 open unsigned (signer null) through openRoomMessage; openSignedMessage refuses them', () => {
    const v1 = sealMessage(zero, { username: 'erin', plaintext, timestamp: now }).envelope;
    const v2 = sealEpochMessage(seven, { username: 'erin', plaintext, timestamp: now }).envelope;
    for (const [envelope, epoch] of [[v1, 0], [v2, 7]] as const) {
      const opened = openRoomMessage(keyring, envelope);
      assert.strictEqual(opened.signer, null);
      assert.strictEqual(opened.epoch, epoch);
      assert.strictEqual(opened.username, 'erin');
      assert.throws(() => openSignedMessage(keyring, envelope), GENERIC, `version ${envelope[0]}`);
    }
  });

  it('the version-1 and version-2 openers are unchanged: they refuse version 3', () => {
    const { envelope } = seal();
    assert.throws(() => openEpochMessage(keyring, envelope), GENERIC);
    assert.throws(() => openMessage(seven, envelope), GENERIC);
  });

  it('an epoch the keyring lacks is the generic error', () => {
    const { envelope } = seal();
    assert.throws(() => openRoomMessage((epoch) => (epoch === 0 ? zero : undefined), envelope), GENERIC);
  });
});
