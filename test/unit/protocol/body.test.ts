import * as assert from 'assert';
import { BODY_OVERHEAD_BYTES, decodeBody, encodeBody } from '../../../src/protocol/body';

const bytes = (text: string) => new TextEncoder().encode(text);
const snippet = { code: 'x', language: 'typescript', path: 'src/a.ts', startLine: 2, endLine: 3 };

describe('message body', () => {
  it('round-trips text and snippet; the overhead is the empty body', () => {
    assert.deepStrictEqual(decodeBody(encodeBody({ text: 'hi', snippet })), { ok: true, value: { text: 'hi', snippet } });
    assert.deepStrictEqual(decodeBody(encodeBody({ text: 'hi' })), { ok: true, value: { text: 'hi' } });
    assert.strictEqual(BODY_OVERHEAD_BYTES, '{"text":""}'.length);
  });

  it('rejections name the field and why', () => {
    assert.deepStrictEqual(decodeBody(new Uint8Array([0xff])), { ok: false, error: 'the body is not UTF-8 JSON' });
    assert.deepStrictEqual(decodeBody(bytes('"text"')), { ok: false, error: 'the body must be a JSON object' });
    assert.deepStrictEqual(decodeBody(bytes('{"text":1}')), { ok: false, error: '"text" must be a string' });
    assert.deepStrictEqual(decodeBody(bytes(JSON.stringify({ text: '', snippet: { ...snippet, endLine: 1 } }))), { ok: false, error: '"snippet" has "endLine" before "startLine"' });
    assert.deepStrictEqual(decodeBody(bytes(JSON.stringify({ text: '', snippet: { ...snippet, path: '' } }))), { ok: false, error: '"snippet.path" must be a non-empty string' });
    assert.deepStrictEqual(decodeBody(bytes(JSON.stringify({ text: '', snippet: null }))).ok, false);
  });
});
