import * as assert from 'assert';
import { Amendments } from '../../../src/client/amendments';
import { MAX_EDITS_PER_MESSAGE } from '../../../src/protocol/limits';

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('client: the seqs an edit or a tombstone names', () => {
  const seqs = new Map([[id(1), 10], [id(2), 12], [id(3), 15]]);
  const seqOf = (wireId: string) => seqs.get(wireId);

  it('an edit names its target\'s seq; a tombstone the target\'s and those of its own edits seen', () => {
    const amendments = new Amendments();
    assert.deepStrictEqual(amendments.fields({ text: 'new', edit: { to: id(1) } }, seqOf), { edits: 10 });
    amendments.noteOwn(id(2), { text: 'v2', edit: { to: id(1) } });
    amendments.noteOwn(id(3), { text: 'v3', edit: { to: id(1) } });
    amendments.noteOwn(id(4), { text: 'not stored yet', edit: { to: id(1) } });
    assert.deepStrictEqual(amendments.fields({ text: '', delete: { to: id(1) } }, seqOf), { deletes: [10, 12, 15] });
  });

  it('names nothing for a plain message, or for a target whose seq is not known', () => {
    const amendments = new Amendments();
    assert.deepStrictEqual(amendments.fields({ text: 'plain' }, seqOf), {});
    assert.deepStrictEqual(amendments.fields({ text: 'x', edit: { to: id(9) } }, seqOf), {});
    assert.deepStrictEqual(amendments.fields({ text: '', delete: { to: id(9) } }, seqOf), {});
  });

  it('is bounded: edits per message, and targets (the oldest forgotten first)', () => {
    const amendments = new Amendments(2);
    const many = new Map<string, number>([[id(1), 1]]);
    for (let n = 0; n < MAX_EDITS_PER_MESSAGE + 5; n++) {
      many.set(id(1000 + n), 1000 + n);
      amendments.noteOwn(id(1000 + n), { text: 'v', edit: { to: id(1) } });
    }
    const fields = amendments.fields({ text: '', delete: { to: id(1) } }, (wireId) => many.get(wireId));
    assert.strictEqual('deletes' in fields && fields.deletes.length, 1 + MAX_EDITS_PER_MESSAGE);
    amendments.noteOwn(id(50), { text: 'v', edit: { to: id(2) } });
    amendments.noteOwn(id(51), { text: 'v', edit: { to: id(3) } });
    assert.deepStrictEqual(amendments.fields({ text: '', delete: { to: id(1) } }, (wireId) => many.get(wireId)), { deletes: [1] }, 'the oldest target was forgotten');
  });
});
