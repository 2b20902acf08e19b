import * as assert from 'assert';
import { epochKeys, openEpochMessage, openMessage, readEnvelopeHeader, sealEpochMessage, sealMessage } from '../../../src/crypto';
import { LAYOUT, LAYOUT_V2 } from '../../../src/crypto/envelope';
import { testKeys } from './fixtures';

describe('envelope header, read without verifying', () => {
  const timestamp = 1_767_225_600_123;

  it('reads the fields openMessage verifies, at the documented offsets of version 1', async () => {
    const keys = await testKeys();
    const { envelope } = sealMessage(keys, { username: 'alice', plaintext: Buffer.from('{"text":"hi"}'), timestamp });
    const opened = openMessage(keys, envelope);
    const header = readEnvelopeHeader(envelope)!;
    assert.strictEqual(header.version, 1);
    assert.strictEqual(header.epoch, 0);
    assert.ok(header.roomId.equals(keys.roomId));
    assert.ok(header.messageId.equals(opened.messageId));
    assert.strictEqual(header.timestamp, timestamp);
    assert.ok(header.usernameBlock.equals(opened.usernameBlock));
    assert.ok(header.messageIv.equals(opened.messageIv));
    assert.ok(header.messageIv.equals(envelope.subarray(LAYOUT.messageIv, LAYOUT.ciphertext)));
  });

  it('reads version 2 at its offsets, with the epoch after the room id', async () => {
    const roomId = (await testKeys()).roomId;
    const keys = epochKeys(Buffer.alloc(32, 9), roomId, 70_000);
    const { envelope } = sealEpochMessage(keys, { username: 'bob', plaintext: Buffer.from('{"text":"hi"}'), timestamp });
    const opened = openEpochMessage((epoch) => (epoch === 70_000 ? keys : undefined), envelope);
    const header = readEnvelopeHeader(envelope)!;
    assert.strictEqual(header.version, 2);
    assert.strictEqual(header.epoch, 70_000);
    assert.ok(header.roomId.equals(roomId));
    assert.ok(header.messageId.equals(opened.messageId));
    assert.strictEqual(header.timestamp, timestamp);
    assert.ok(header.usernameBlock.equals(opened.usernameBlock));
    assert.ok(header.messageIv.equals(envelope.subarray(LAYOUT_V2.messageIv, LAYOUT_V2.ciphertext)));
  });

  it('gives null for an unknown version, a short envelope or an unsafe timestamp', async () => {
    const keys = await testKeys();
    const { envelope } = sealMessage(keys, { username: 'alice', plaintext: Buffer.from('{"text":"hi"}'), timestamp });
    assert.strictEqual(readEnvelopeHeader(Buffer.concat([Buffer.from([9]), envelope.subarray(1)])), null);
    assert.strictEqual(readEnvelopeHeader(envelope.subarray(0, LAYOUT.ciphertext - 1)), null);
    assert.notStrictEqual(readEnvelopeHeader(envelope.subarray(0, LAYOUT.ciphertext)), null);
    const unsafe = Buffer.from(envelope);
    unsafe.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER) + 1n, LAYOUT.timestamp);
    assert.strictEqual(readEnvelopeHeader(unsafe), null);
    assert.strictEqual(readEnvelopeHeader(new Uint8Array(0)), null);
  });
});
