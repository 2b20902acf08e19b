import * as assert from 'assert';
import { findMentions, mentionsMe } from '../../../src/protocol/mentions';

describe('mentions', () => {
  it('finds @name case-insensitively at word boundaries', () => {
    assert.deepStrictEqual(findMentions('@dana hi, @Dana! (@DANA)', 'dana'), [[0, 5], [10, 15], [18, 23]]);
  });

  it('ignores longer names, e-mail addresses and words', () => {
    assert.deepStrictEqual(findMentions('@danah x@dana.org @dana_2 dana', 'dana'), []);
  });

  it('matches names with spaces and punctuation exactly', () => {
    assert.deepStrictEqual(findMentions('thanks @Dana K.', 'dana k.'), [[7, 15]]);
    assert.deepStrictEqual(findMentions('@ünal, @ÜNAL', 'ünal'), [[0, 5], [7, 12]]);
  });

  it('says whether a message mentions the current user', () => {
    assert.strictEqual(mentionsMe('hey @dana', 'dana'), true);
    assert.strictEqual(mentionsMe('hey @dana', null), false);
    assert.strictEqual(mentionsMe('hey dana', 'dana'), false);
    assert.deepStrictEqual(findMentions('@', ''), []);
  });
});
