import * as assert from 'assert';
import { BODY_OVERHEAD_BYTES, decodeBody, encodeBody, replyQuote } from '../../../src/protocol/body';
import { isSingleEmoji } from '../../../src/protocol/emoji';
import { REPLY_QUOTE_MAX_LENGTH } from '../../../src/protocol/limits';

const bytes = (text: string) => new TextEncoder().encode(text);
const snippet = { code: 'x', language: 'typescript', path: 'src/a.ts', startLine: 2, endLine: 3 };

describe('a reaction\'s emoji', () => {
  it('is one grapheme with an emoji in it: flags, skin tones, ZWJ sequences and keycaps too', () => {
    for (const emoji of ['👍', '❤️', '🇩🇪', '👍🏽', '👩‍👩‍👧‍👦', '1️⃣', '🏳️‍🌈']) assert.strictEqual(isSingleEmoji(emoji), true, emoji);
    for (const other of ['', 'a', '1', ':)', '👍👍', '👍 ', 'é', '\u200d', '👍'.repeat(20)]) assert.strictEqual(isSingleEmoji(other), false, JSON.stringify(other));
  });
});

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

  describe('a reply', () => {
    const parent = '0123456789abcdef0123456789abcdef';
    const replyTo = { id: parent, name: 'bob', text: 'Is this the part that waits?' };

    it('carries the parent\'s id and quote, encoded byte for byte as docs/PROTOCOL.md gives it', () => {
      const encoded = encodeBody({ text: 'Yes.', replyTo: { text: replyTo.text, name: 'bob', id: parent } });
      assert.strictEqual(new TextDecoder().decode(encoded), `{"text":"Yes.","replyTo":{"id":"${parent}","name":"bob","text":"Is this the part that waits?"}}`);
      assert.deepStrictEqual(decodeBody(encoded), { ok: true, value: { text: 'Yes.', replyTo } });
      const withSnippet = new TextDecoder().decode(encodeBody({ text: 'this', snippet, replyTo }));
      assert.ok(withSnippet.startsWith('{"text":"this","snippet":{') && withSnippet.includes('},"replyTo":{"id"'), withSnippet);
    });

    it('is refused with the field named: an id that is not 32 hex digits, an empty name, a quote too long', () => {
      const decoded = (value: unknown) => decodeBody(bytes(JSON.stringify({ text: 'x', replyTo: value })));
      assert.deepStrictEqual(decoded({ ...replyTo, id: parent.toUpperCase() }), { ok: false, error: '"replyTo.id" must be 32 lowercase hex digits' });
      assert.deepStrictEqual(decoded({ ...replyTo, id: parent.slice(2) }), { ok: false, error: '"replyTo.id" must be 32 lowercase hex digits' });
      assert.deepStrictEqual(decoded({ ...replyTo, name: '' }), { ok: false, error: '"replyTo.name" must be a string of 1-16 characters' });
      assert.deepStrictEqual(decoded({ ...replyTo, text: 'a'.repeat(REPLY_QUOTE_MAX_LENGTH + 1) }), { ok: false, error: '"replyTo.text" must be a string of 0-100 characters' });
      assert.deepStrictEqual(decoded('0123'), { ok: false, error: '"replyTo" must be an object' });
    });

    it('is a reaction when it says {react}: encoded byte for byte with an empty text and nothing else', () => {
      const encoded = encodeBody({ text: 'ignored', replyTo, react: { on: false, emoji: '👍', to: parent } });
      assert.strictEqual(new TextDecoder().decode(encoded), `{"text":"","react":{"to":"${parent}","emoji":"👍","on":false}}`);
      assert.deepStrictEqual(decodeBody(encoded), { ok: true, value: { text: '', react: { to: parent, emoji: '👍', on: false } } });
      const decoded = (react: unknown) => decodeBody(bytes(JSON.stringify({ text: '', react })));
      assert.deepStrictEqual(decoded({ to: parent, emoji: 'ok', on: true }), { ok: false, error: '"react.emoji" must be a single emoji' });
      assert.deepStrictEqual(decoded({ to: parent, emoji: '👍👍', on: true }), { ok: false, error: '"react.emoji" must be a single emoji' });
      assert.deepStrictEqual(decoded({ to: parent, emoji: '👍', on: 1 }), { ok: false, error: '"react.on" must be true or false' });
      assert.deepStrictEqual(decoded({ to: 'x', emoji: '👍', on: true }), { ok: false, error: '"react.to" must be 32 lowercase hex digits' });
    });

    it('quotes the start of the parent on one line, cut with "…" and never inside a surrogate pair', () => {
      assert.strictEqual(replyQuote('  Is this\n\nthe part\tthat waits?  '), 'Is this the part that waits?');
      const long = 'word '.repeat(40);
      assert.strictEqual(replyQuote(long), `${long.slice(0, REPLY_QUOTE_MAX_LENGTH - 1)}…`);
      assert.strictEqual(replyQuote(long).length, REPLY_QUOTE_MAX_LENGTH);
      const emoji = `${'a'.repeat(REPLY_QUOTE_MAX_LENGTH - 2)}😀😀`;
      assert.strictEqual(replyQuote(emoji), `${'a'.repeat(REPLY_QUOTE_MAX_LENGTH - 2)}…`);
      assert.strictEqual(replyQuote(''), '');
    });
  });

  describe('an edit and a tombstone', () => {
    const to = '0123456789abcdef0123456789abcdef';

    it('are encoded byte for byte as docs/PROTOCOL.md gives them: the new text with edit.to, or an empty text with delete.to and nothing else', () => {
      const edit = encodeBody({ text: 'Fixed.', snippet, edit: { to } });
      assert.strictEqual(new TextDecoder().decode(edit), `{"text":"Fixed.","edit":{"to":"${to}"}}`);
      assert.deepStrictEqual(decodeBody(edit), { ok: true, value: { text: 'Fixed.', edit: { to } } });
      const tombstone = encodeBody({ text: 'ignored', replyTo: { id: to, name: 'bob', text: '' }, delete: { to } });
      assert.strictEqual(new TextDecoder().decode(tombstone), `{"text":"","delete":{"to":"${to}"}}`);
      assert.deepStrictEqual(decodeBody(tombstone), { ok: true, value: { text: '', delete: { to } } });
    });

    it('are refused with the field named when they name no message id', () => {
      assert.deepStrictEqual(decodeBody(bytes(JSON.stringify({ text: 'x', edit: { to: to.toUpperCase() } }))), { ok: false, error: '"edit.to" must be 32 lowercase hex digits' });
      assert.deepStrictEqual(decodeBody(bytes(JSON.stringify({ text: '', delete: to }))), { ok: false, error: '"delete" must be an object' });
    });
  });
});
