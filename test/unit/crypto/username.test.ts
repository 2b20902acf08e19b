import * as assert from 'assert';
import { RoomKeys, normalizeUsername, openMessage, openUsername, sealMessage, sealUsername } from '../../../src/crypto';
import { padUsername, unpadUsername } from '../../../src/crypto/username';
import { testKeys } from './fixtures';

/** The refusal of a name that is too long, whatever its length. */
const RULE = /UsernameError: Username is too long: at most 16 bytes, this name needs \d+; use a shorter name or fewer accented letters$/;
const TOO_LONG_17 = 'Username is too long: at most 16 bytes, this name needs 17; use a shorter name or fewer accented letters';

describe('usernames', () => {
  let keys: RoomKeys;
  before(async () => {
    keys = await testKeys();
  });

  it('refuses 0 and 17 bytes with the clear rule, accepts 1 and 16', () => {
    assert.throws(() => normalizeUsername(''), { name: 'UsernameError', message: 'Username is empty: enter a name of 1 to 16 bytes' });
    assert.throws(() => normalizeUsername('a'.repeat(17)), { name: 'UsernameError', message: TOO_LONG_17 });
    assert.strictEqual(normalizeUsername('a'), 'a');
    assert.strictEqual(normalizeUsername('a'.repeat(16)), 'a'.repeat(16));
  });

  it('says how many bytes a 14-character name with accented letters needs, and what to do', () => {
    assert.strictEqual(Array.from('Noémie Lefèvré').length, 14);
    assert.throws(() => normalizeUsername('Noémie Lefèvré'), { name: 'UsernameError', message: TOO_LONG_17 });
  });

  it('counts bytes, not characters, at the multi-byte boundary', () => {
    assert.strictEqual(normalizeUsername('é'.repeat(8)), 'é'.repeat(8), '8 two-byte letters are 16 bytes');
    assert.throws(() => normalizeUsername('a'.repeat(15) + 'é'), RULE, '15 + 2 bytes');
    assert.strictEqual(normalizeUsername('🦊'.repeat(4)), '🦊'.repeat(4), '4 four-byte emoji are 16 bytes');
    assert.throws(() => normalizeUsername('a' + '🦊'.repeat(4)), RULE);
    assert.throws(() => normalizeUsername('日本語日本語'), RULE, '18 bytes in 6 characters');
  });

  it('normalises to NFC, so a decomposed name is the same name', () => {
    assert.strictEqual(normalizeUsername('e\u0301'), '\u00e9');
  });

  it('refuses control characters and unpaired surrogates', () => {
    assert.throws(() => normalizeUsername('a\u0000b'), /control characters/);
    assert.throws(() => normalizeUsername('tab\there'), /control characters/);
    assert.throws(() => normalizeUsername('bell\u0085'), /control characters/);
    assert.throws(() => normalizeUsername('x\ud800'), /^UsernameError: Username is not valid text: it contains an unpaired surrogate$/);
  });

  it('refuses format characters (Unicode Cf): zero-width, bidi controls, a BOM', () => {
    for (const format of ['\u200b', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\u00ad']) {
      assert.throws(() => normalizeUsername(`al${format}ice`), /format characters/, `U+${format.codePointAt(0)?.toString(16)}`);
      assert.throws(() => normalizeUsername(`${format}alice`), /format characters/, `leading U+${format.codePointAt(0)?.toString(16)}`);
    }
  });

  it('does not drop a leading BOM from a decrypted block: the block is refused, not read as another name', () => {
    const block = Buffer.alloc(16);
    Buffer.from('\ufeffbob', 'utf8').copy(block);
    assert.strictEqual(unpadUsername(block), null);
  });

  it('pads every name to one block, and the padding is invisible after decryption', () => {
    for (const name of ['a', 'bob', 'é'.repeat(8), '🦊🦊🦊🦊', 'sixteen-chars-16']) {
      assert.strictEqual(padUsername(name).length, 16);
      const block = sealUsername(keys, name);
      assert.strictEqual(block.length, 32);
      assert.strictEqual(openUsername(keys, block), name);
      const opened = openMessage(keys, sealMessage(keys, { username: name, plaintext: Buffer.from('{}'), timestamp: 1 }).envelope);
      assert.strictEqual(opened.username, name);
    }
  });

  it('unpads only blocks that padding could have produced', () => {
    assert.strictEqual(unpadUsername(Buffer.from('bob\0\0\0\0\0\0\0\0\0\0\0\0\0')), 'bob');
    assert.strictEqual(unpadUsername(Buffer.from('bob\0\0\0\0\0\0\0\0\0\0\0\0x')), null, 'data after padding');
    assert.strictEqual(unpadUsername(Buffer.alloc(16)), null, 'empty name');
    assert.strictEqual(unpadUsername(Buffer.from([0xc3, 0x28, ...Buffer.alloc(14)])), null, 'invalid UTF-8');
    assert.strictEqual(unpadUsername(Buffer.from('e\u0301\0\0\0\0\0\0\0\0\0\0\0\0\0', 'utf8').subarray(0, 16)), null, 'not NFC');
    assert.strictEqual(unpadUsername(Buffer.alloc(15, 0x61)), null, 'short block');
  });

  it('refuses an invalid username before sealing a message', () => {
    assert.throws(() => sealMessage(keys, { username: 'a'.repeat(17), plaintext: Buffer.alloc(1), timestamp: 1 }), RULE);
  });
});
