// Verification by key: verified members, the loud "key changed" state until the new key is
// verified, "(you)" and colours by key, and the book as kept in workspace state.
import * as assert from 'assert';
import { IdentityKey } from '../../../../src/crypto';
import { groupedKeyId, isOwnKey, senderView, trustNotice } from '../../../../src/host/rules/memberIdentity';
import { TRUST_LIMITS, VerificationBook } from '../../../../src/host/rules/memberTrust';

/** The public keys of RFC 8032 7.1 tests 1 and 2, whose key ids are fixed. */
const bobKey = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const bobNewKey = Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex');
const mine = IdentityKey.generate().publicKey;
const at = 1_767_225_600_000;

describe('member trust', () => {
  it('unverified until verified; unsigned messages are their own state', () => {
    const book = new VerificationBook();
    assert.deepStrictEqual(book.trustOf(bobKey, 'bob'), { kind: 'unverified' });
    book.verify(bobKey, 'bob', at);
    assert.deepStrictEqual(book.trustOf(bobKey, 'bob'), { kind: 'verified' });
    assert.ok(book.isVerified(bobKey));
    assert.deepStrictEqual(book.trustOf(null, 'bob'), { kind: 'unsigned' });
  });

  it('another key under a verified name is "key changed" on every message until that key is verified', () => {
    const book = new VerificationBook();
    book.verify(bobKey, 'bob', at);
    const changed = { kind: 'key-changed', previousKeyId: '0d48ac3f390caae5' };
    for (let i = 0; i < 3; i++) assert.deepStrictEqual(book.trustOf(bobNewKey, 'bob'), changed, `message ${i}`);
    assert.deepStrictEqual(book.trustOf(bobNewKey, 'BOB'), changed, 'the same name in another case');
    assert.deepStrictEqual(book.trustOf(bobNewKey, 'robert'), { kind: 'unverified' }, 'under a name no verified key used');
    book.verify(bobNewKey, 'bob', at + 1);
    assert.deepStrictEqual(book.trustOf(bobNewKey, 'bob'), { kind: 'verified' });
    assert.deepStrictEqual(book.trustOf(bobKey, 'bob'), { kind: 'key-changed', previousKeyId: '9f322c09120379ca' }, 'the old key no longer speaks for the name');
    assert.strictEqual(book.isVerified(bobKey), false);
  });

  it('a verified member who renames stays verified, and the old name stays watched', () => {
    const book = new VerificationBook();
    book.verify(bobKey, 'bob', at);
    book.noteName(bobKey, 'robert');
    assert.deepStrictEqual(book.trustOf(bobKey, 'robert'), { kind: 'verified' });
    assert.strictEqual(book.trustOf(bobNewKey, 'bob').kind, 'key-changed');
    assert.strictEqual(book.trustOf(bobNewKey, 'robert').kind, 'key-changed');
    book.noteName(bobNewKey, 'bob');
    assert.strictEqual(book.isVerified(bobNewKey), false, 'noting a name never verifies');
  });

  it('unverify returns a member to unverified', () => {
    const book = new VerificationBook();
    book.verify(bobKey, 'bob', at);
    book.unverify(bobKey);
    assert.deepStrictEqual(book.trustOf(bobKey, 'bob'), { kind: 'unverified' });
  });

  it('keeps at most TRUST_LIMITS.verified members and namesPerMember names each, oldest dropped', () => {
    const book = new VerificationBook();
    const keys = Array.from({ length: TRUST_LIMITS.verified + 1 }, (_, i) => {
      const key = Buffer.alloc(32, 0xab);
      key.writeUInt32BE(i);
      return key;
    });
    keys.forEach((key, i) => book.verify(key, `m${i}`, at + i));
    assert.strictEqual(book.isVerified(keys[0]), false);
    assert.ok(book.isVerified(keys[1]));
    assert.ok(book.isVerified(keys[TRUST_LIMITS.verified]));
    for (let i = 0; i < TRUST_LIMITS.namesPerMember; i++) book.noteName(keys[1], `n${i}`);
    assert.strictEqual(book.toStored().verified.find((m) => m.key === keys[1].toString('base64'))?.names.length, TRUST_LIMITS.namesPerMember);
    assert.strictEqual(book.trustOf(bobKey, 'm1').kind, 'unverified', 'the oldest name was dropped');
    assert.strictEqual(book.trustOf(bobKey, 'n0').kind, 'key-changed');
  });

  it('round-trips through workspace state and refuses a malformed stored book', () => {
    const book = new VerificationBook();
    book.verify(bobKey, 'bob', at);
    book.noteName(bobKey, 'robert');
    const stored = JSON.parse(JSON.stringify(book.toStored())) as unknown;
    assert.deepStrictEqual(stored, { version: 1, verified: [{ key: bobKey.toString('base64'), verifiedAt: at, names: ['bob', 'robert'] }] });
    const restored = VerificationBook.fromStored(stored);
    assert.ok(restored.ok);
    assert.deepStrictEqual(restored.value.trustOf(bobKey, 'robert'), { kind: 'verified' });
    assert.strictEqual(restored.value.trustOf(bobNewKey, 'bob').kind, 'key-changed');
    assert.deepStrictEqual(VerificationBook.fromStored({ version: 1, verified: [{ key: 'AA==', verifiedAt: at, names: ['bob'] }] }), {
      ok: false, error: '"verified.0.key" must be 32 bytes of base64',
    });
    assert.deepStrictEqual(VerificationBook.fromStored({ version: 1, verified: [{ key: bobKey.toString('base64'), verifiedAt: at, names: [] }] }), {
      ok: false, error: '"verified.0.names" must hold a name',
    });
    assert.deepStrictEqual(VerificationBook.fromStored(null), { ok: false, error: 'must be an object' });
    const twice = (names: [string, string]) => ({
      version: 1, verified: [{ key: bobKey.toString('base64'), verifiedAt: at, names: [names[0]] }, { key: bobNewKey.toString('base64'), verifiedAt: at, names: [names[1]] }],
    });
    assert.deepStrictEqual(VerificationBook.fromStored(twice(['bob', 'Bob'])), { ok: false, error: '"verified" holds the name "Bob" twice' });
  });
});

describe('sender view by key', () => {
  it('"(you)" is this installation\'s key: another installation with the same name is someone else', () => {
    const book = new VerificationBook();
    const otherRoot = IdentityKey.generate().publicKey;
    assert.strictEqual(senderView(mine, 'root', mine, book, 8).own, true);
    assert.strictEqual(senderView(otherRoot, 'root', mine, book, 8).own, false);
    assert.strictEqual(senderView(null, 'root', mine, book, 8).own, false, 'unsigned history is never yours');
    assert.strictEqual(isOwnKey(Buffer.from(mine), mine), true);
    assert.strictEqual(isOwnKey(null, mine), false);
  });

  it('key id, colour and trust follow the key, not the name', () => {
    const book = new VerificationBook();
    book.verify(bobKey, 'bob', at);
    const asBob = senderView(bobKey, 'bob', mine, book, 8);
    const renamed = senderView(bobKey, 'robert', mine, book, 8);
    assert.deepStrictEqual(asBob, { own: false, trust: { kind: 'verified' }, keyId: '0d48 ac3f 390c aae5', colour: 0x0d48ac3f % 8 });
    assert.deepStrictEqual(renamed, asBob);
    assert.deepStrictEqual(senderView(bobNewKey, 'bob', mine, book, 8), {
      own: false, trust: { kind: 'key-changed', previousKeyId: '0d48ac3f390caae5' }, keyId: '9f32 2c09 1203 79ca', colour: 0x9f322c09 % 8,
    });
    assert.deepStrictEqual(senderView(null, 'bob', mine, book, 8), { own: false, trust: { kind: 'unsigned' }, keyId: null, colour: null });
    assert.deepStrictEqual(senderView(mine, 'me', mine, book, 8).trust, { kind: 'verified' }, 'one\'s own key');
  });

  it('the trust notice is our own words, on every key-changed and unsigned message', () => {
    assert.strictEqual(groupedKeyId('0d48ac3f390caae5'), '0d48 ac3f 390c aae5');
    assert.strictEqual(
      trustNotice({ kind: 'key-changed', previousKeyId: '0d48ac3f390caae5' }),
      'Warning: this name was verified with another key (0d48 ac3f 390c aae5). Until you verify again with “Secure Chat: Verify Member...”, this may be someone else.',
    );
    assert.strictEqual(trustNotice({ kind: 'unsigned' }), 'Unsigned: sent before messages were signed, so its sender is not proven.');
    assert.strictEqual(trustNotice({ kind: 'verified' }), undefined);
    assert.strictEqual(trustNotice({ kind: 'unverified' }), undefined);
  });
});
