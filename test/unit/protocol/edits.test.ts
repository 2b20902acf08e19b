import * as assert from 'assert';
import type { ChatItem } from '../../../src/protocol/panel';
import { EditBook, isAmendment } from '../../../src/protocol/edits';

const ALICE = 'a1'.repeat(32);
const MALLORY = 'ee'.repeat(32);
const TARGET: ChatItem = { id: 'aa'.repeat(16), seq: 5, username: 'alice', timestamp: 1000, text: 'helo', own: false, status: 'sent', signer: ALICE };
let next = 1;

function amendment(fields: Partial<ChatItem>): ChatItem & ({ edit: { to: string } } | { delete: { to: string } }) {
  const id = (next++).toString(16).padStart(32, '0');
  const item = { id, seq: 100 + next, username: 'alice', timestamp: 2000 + next, text: '', own: false, status: 'sent', signer: ALICE, ...fields } as ChatItem;
  assert.ok(isAmendment(item));
  return item;
}
const edit = (text: string, fields: Partial<ChatItem> = {}) => amendment({ text, edit: { to: TARGET.id }, ...fields });
const remove = (fields: Partial<ChatItem> = {}) => amendment({ delete: { to: TARGET.id }, ...fields });

describe('edits and deletes folded into their messages', () => {
  it('shows the latest version by the sender\'s clock, with every version on demand, whatever order they arrive in', () => {
    const first = edit('hello', { timestamp: 3000 });
    const second = edit('hello!', { timestamp: 4000 });
    for (const order of [[first, second], [second, first]]) {
      const book = new EditBook();
      assert.deepStrictEqual([...book.add(order)], [TARGET.id]);
      assert.deepStrictEqual(book.amended(TARGET), {
        text: 'hello!', deleted: false,
        versions: [{ id: TARGET.id, timestamp: 1000, text: 'helo' }, { id: first.id, timestamp: 3000, text: 'hello' }, { id: second.id, timestamp: 4000, text: 'hello!' }],
      });
    }
    assert.strictEqual(new EditBook().amended(TARGET), undefined, 'unchanged');
  });

  it('refuses an edit or delete signed by another key than the message\'s, or for unsigned history: the message reads as it was', () => {
    const book = new EditBook();
    book.add([edit('I never said that', { signer: MALLORY, username: 'alice' }), remove({ signer: MALLORY }), edit('nobody signed', { signer: undefined })]);
    assert.strictEqual(book.amended(TARGET), undefined);
    const unsigned: ChatItem = { ...TARGET, signer: undefined, unsigned: true };
    book.add([edit('mine?')]);
    assert.strictEqual(book.amended(unsigned), undefined, 'nobody can change unsigned history');
    assert.strictEqual(book.amended(TARGET)?.text, 'mine?', 'the author\'s own edit still counts beside the refused ones');
  });

  it('a delete by the author hides every version, also edits that come later', () => {
    const book = new EditBook();
    book.add([edit('v2'), remove()]);
    book.add([edit('v3, sent before the delete arrived')]);
    assert.deepStrictEqual(book.amended(TARGET), { text: '', deleted: true, versions: [] });
  });

  it('gives the text a message reads now: its own, its author\'s latest edit, nothing once deleted', () => {
    const book = new EditBook();
    assert.strictEqual(book.currentText(TARGET), 'helo');
    book.add([edit('I never said that', { signer: MALLORY })]);
    assert.strictEqual(book.currentText(TARGET), 'helo', 'another key\'s edit does not count');
    book.add([edit('hello', { timestamp: 3000 })]);
    assert.strictEqual(book.currentText(TARGET), 'hello');
    book.add([remove()]);
    assert.strictEqual(book.currentText(TARGET), undefined);
  });

  it('forgets one of the user\'s edits that was not sent, and keeps within its bound by dropping the oldest targets', () => {
    const book = new EditBook(2);
    const mine = edit('typo fixed', { own: true });
    book.add([mine]);
    assert.strictEqual(book.failed(mine.id), TARGET.id);
    assert.strictEqual(book.amended(TARGET), undefined);
    book.add([edit('one')]);
    book.add([amendment({ text: 'x', edit: { to: 'bb'.repeat(16) } }), amendment({ text: 'y', edit: { to: 'cc'.repeat(16) } })]);
    assert.strictEqual(book.amended(TARGET), undefined, 'the oldest target went first');
    assert.strictEqual(book.oldestSeq, mine.seq, 'the lowest seq held, for paging past them');
  });
});
