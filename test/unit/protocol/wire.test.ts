import * as assert from 'assert';
import { decodeBase64 } from '../../../src/protocol/base64';
import { encodeServerFrame, parseClientFrame, parseServerFrame } from '../../../src/protocol/wire';

const NONCE = Buffer.alloc(32, 7).toString('base64');
const USER = Buffer.alloc(32, 1).toString('base64');
const PROOF = Buffer.alloc(32, 2).toString('base64');

describe('wire protocol', () => {
  it('accepts only the canonical base64 of the exact length', () => {
    assert.deepStrictEqual(decodeBase64('AAE=', 2), Buffer.from([0, 1]));
    // "AAF=" decodes to the same bytes in Node but is not the canonical spelling.
    for (const text of ['AAF=', 'AAE', 'AA E=', 'AAE==', '****', 42]) assert.strictEqual(decodeBase64(text, 2), null, String(text));
    assert.strictEqual(decodeBase64('AAE=', 3), null);
    // Url-safe letters, whitespace, a stray letter, non-ASCII: Node decodes each, the round trip refuses it.
    assert.deepStrictEqual(decodeBase64('+/8=', 2), Buffer.from([0xfb, 0xff]));
    for (const text of ['-_8=', '+/8=\n', '+/8=A', '+/\u00e98=', 'AA\u0000E=']) assert.strictEqual(decodeBase64(text, 2, 3), null, JSON.stringify(text));
  });

  it('encodes the ack and message frames as the generic encoder would', () => {
    const id = Buffer.alloc(16, 0xfb);
    const envelope = Buffer.alloc(160, 0xfe);
    assert.strictEqual(encodeServerFrame({ type: 'ack', id, seq: 9_007_199_254_740_991 }), JSON.stringify({ type: 'ack', id: id.toString('base64'), seq: 9_007_199_254_740_991 }));
    assert.strictEqual(encodeServerFrame({ type: 'message', seq: 12, envelope }), JSON.stringify({ type: 'message', seq: 12, envelope: envelope.toString('base64') }));
    assert.deepStrictEqual(parseServerFrame(encodeServerFrame({ type: 'message', seq: 12, envelope })), { ok: true, value: { type: 'message', seq: 12, envelope } });
  });

  it('rejections name the field and why', () => {
    assert.deepStrictEqual(parseClientFrame('{'), { ok: false, error: 'frame is not valid JSON' });
    assert.deepStrictEqual(parseClientFrame('[1]'), { ok: false, error: 'frame must be a JSON object' });
    assert.deepStrictEqual(parseClientFrame('{"type":"shout"}'), { ok: false, error: '"type" must be a known frame type' });
    assert.deepStrictEqual(
      parseClientFrame(JSON.stringify({ type: 'present', epoch: 1, user: USER.slice(0, -4) })),
      { ok: false, error: '"user" must be 32 bytes of base64' },
    );
    assert.deepStrictEqual(
      parseClientFrame(JSON.stringify({ type: 'present', epoch: 2 ** 32, user: USER })),
      { ok: false, error: '"epoch" must be an integer from 0 to 4294967295' },
    );
    assert.deepStrictEqual(
      parseClientFrame(JSON.stringify({ type: 'history', requestId: 'r1', before: 5, after: 1, limit: 10 })),
      { ok: false, error: '"before" and "after" cannot both be given' },
    );
    assert.deepStrictEqual(
      parseServerFrame(JSON.stringify({ type: 'hello', version: 1, room: Buffer.alloc(16).toString('base64'), kdf: { name: 'pbkdf2-sha256', iterations: 1, salt: 'AA==' }, nonce: NONCE })),
      { ok: false, error: '"kdf.salt" must be 16 bytes of base64' },
    );
  });

  it('decodes byte fields to Buffers and leaves unknown fields out', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'cpace', nonce: NONCE, share: USER, extra: 1 }));
    assert.deepStrictEqual(parsed, { ok: true, value: { type: 'cpace', nonce: Buffer.alloc(32, 7), share: Buffer.alloc(32, 1) } });
    const confirm = parseServerFrame(JSON.stringify({ type: 'confirm', share: USER, proof: PROOF }));
    assert.deepStrictEqual(confirm, { ok: true, value: { type: 'confirm', share: Buffer.alloc(32, 1), proof: Buffer.alloc(32, 2) } });
  });

  it('recognises version 1\'s auth frame whatever its fields, so the server can answer upgrade-required', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'auth', nonce: NONCE, user: USER, proof: PROOF }));
    assert.deepStrictEqual(parsed, { ok: true, value: { type: 'auth' } });
  });
});
