import * as assert from 'assert';
import type { ChatItem } from '../../../src/protocol/panel';
import { MAX_EMOJI_PER_MESSAGE, ReactionBook, isReaction } from '../../../src/webview/reactions';

const TARGET = 'aa'.repeat(16);
let next = 1;
/** A reaction item as the host sends it. */
function reaction(username: string, emoji: string, on: boolean, timestamp: number, extra: Partial<ChatItem> = {}): ChatItem & { react: NonNullable<ChatItem['react']> } {
  const id = (next++).toString(16).padStart(32, '0');
  return { id, seq: next, username, timestamp, text: '', own: false, status: 'sent', react: { to: TARGET, emoji, on }, ...extra } as ChatItem & { react: NonNullable<ChatItem['react']> };
}

describe('reactions folded into their messages', () => {
  it('counts each member once per emoji, in the order the emoji came, with who reacted', () => {
    const book = new ReactionBook();
    const changed = book.add([reaction('bob', '👍', true, 1), reaction('carol', '🎉', true, 2), reaction('carol', '👍', true, 3), reaction('bob', '👍', true, 4)]);
    assert.deepStrictEqual([...changed], [TARGET]);
    assert.deepStrictEqual(book.summary(TARGET), [
      { emoji: '👍', names: ['bob', 'carol'], mine: false },
      { emoji: '🎉', names: ['carol'], mine: false },
    ]);
    assert.deepStrictEqual(book.summary('bb'.repeat(16)), []);
  });

  it('lets the latest word of each member count by the sender\'s clock, whatever order it arrives in', () => {
    const on = reaction('bob', '👍', true, 10);
    const off = reaction('bob', '👍', false, 20);
    const forward = new ReactionBook();
    forward.add([on, off]);
    const backward = new ReactionBook();
    // A history page comes newest first; the older "on" changes nothing.
    assert.deepStrictEqual([...backward.add([off])], [TARGET]);
    assert.deepStrictEqual([...backward.add([on])], []);
    assert.deepStrictEqual(forward.summary(TARGET), []);
    assert.deepStrictEqual(backward.summary(TARGET), []);
    backward.add([reaction('bob', '👍', true, 30)]);
    assert.deepStrictEqual(backward.summary(TARGET), [{ emoji: '👍', names: ['bob'], mine: false }]);
  });

  it('marks the user\'s own, and a failed own reaction no longer counts', () => {
    const book = new ReactionBook();
    const mine = reaction('dana', '🚀', true, 5, { own: true, status: 'pending' });
    book.add([reaction('bob', '🚀', true, 4), mine]);
    assert.deepStrictEqual(book.summary(TARGET), [{ emoji: '🚀', names: ['bob', 'dana'], mine: true }]);
    assert.strictEqual(book.failed(mine.id), TARGET);
    assert.deepStrictEqual(book.summary(TARGET), [{ emoji: '🚀', names: ['bob'], mine: false }]);
    assert.strictEqual(book.failed(mine.id), undefined);
  });

  it('keeps reactions to messages not loaded yet, within the bound, the oldest targets dropped first', () => {
    const book = new ReactionBook(3);
    const target = (n: number) => n.toString(16).padStart(32, '0');
    for (let n = 1; n <= 5; n++) book.add([{ ...reaction('bob', '👀', true, n), react: { to: target(n), emoji: '👀', on: true } }]);
    assert.deepStrictEqual([1, 2, 3, 4, 5].map((n) => book.summary(target(n)).length), [0, 0, 1, 1, 1]);
  });

  it('holds at most a fixed number of different emoji on one message', () => {
    const book = new ReactionBook();
    const emoji = ['😀', '😃', '😄', '😁', '😆', '😅', '🤣', '😂', '🙂', '🙃', '😉', '😊', '😇', '🥰', '😍', '🤩', '😘', '😗', '😚', '😙', '😋', '😛'];
    book.add(emoji.map((e, i) => reaction('mallory', e, true, i)));
    assert.strictEqual(book.summary(TARGET).length, MAX_EMOJI_PER_MESSAGE);
  });

  it('tells reactions from messages and remembers the oldest seq, so paging back goes past pages of reactions', () => {
    const book = new ReactionBook();
    const item = reaction('bob', '👍', true, 1, { seq: 42 });
    assert.strictEqual(isReaction(item), true);
    assert.strictEqual(isReaction({ ...item, react: undefined }), false);
    book.add([item, reaction('bob', '🎉', true, 2, { seq: 50 })]);
    assert.strictEqual(book.oldestSeq, 42);
    book.clear();
    assert.strictEqual(book.oldestSeq, undefined);
  });
});
