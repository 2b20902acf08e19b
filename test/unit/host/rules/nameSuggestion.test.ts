// The name offered after `name-taken`: a number added, the whole within 16 bytes, bound names skipped.
import * as assert from 'assert';
import { suggestName } from '../../../../src/host/rules/nameSuggestion';
import { isCanonicalUsername } from '../../../../src/crypto';

describe('name suggestion after name-taken', () => {
  it('adds -2, or the first number whose name is not known to be bound (in any case)', () => {
    assert.strictEqual(suggestName('root'), 'root-2');
    assert.strictEqual(suggestName('root', ['root', 'ROOT-2', 'root-3']), 'root-4');
  });

  it('cuts the name at a character boundary to stay within 16 bytes of UTF-8', () => {
    assert.strictEqual(suggestName('abcdefghijklmnop'), 'abcdefghijklmn-2');
    const cut = suggestName('ééééééééé', Array.from({ length: 8 }, (_, i) => `ééééééé-${i + 2}`));
    assert.strictEqual(cut, 'éééééé-10', 'two-byte letters: seven before "-2" to "-9", six before "-10"');
    assert.ok(cut !== undefined && Buffer.byteLength(cut) <= 16 && isCanonicalUsername(cut));
    assert.strictEqual(suggestName('𝒜𝒜𝒜𝒜'), '𝒜𝒜𝒜-2', 'a four-byte letter is never split');
  });

  it('never suggests the refused name itself, and gives up after -99', () => {
    assert.strictEqual(suggestName('a-2'), 'a-2-2');
    const all = Array.from({ length: 98 }, (_, i) => `x-${i + 2}`);
    assert.strictEqual(suggestName('x', all), undefined);
  });
});
