// Very long messages show collapsed with "Show more"; opened, "Show less" folds them again.
import * as assert from 'assert';
import type { ChatItem } from '../../../src/protocol/panel';
import { COLLAPSE_AFTER_LINES, ExpandedMessages, isLong } from '../../../src/webview/longMessages';
import { renderRow } from '../../../src/webview/messageView';
import { newDocument } from './dom';

const item = (text: string, extra: Partial<ChatItem> = {}): ChatItem => ({ id: 'ab', username: 'bob', timestamp: 0, text, own: false, status: 'sent', ...extra });
const lines = (count: number) => Array.from({ length: count }, (_, i) => `line ${i + 1}`).join('\n');

describe('long messages', () => {
  it('counts a message long past COLLAPSE_AFTER_LINES lines, long lines and snippet lines included', () => {
    const snippet = { code: lines(COLLAPSE_AFTER_LINES), language: 'ts', path: 'a.ts', startLine: 1, endLine: COLLAPSE_AFTER_LINES };
    assert.deepStrictEqual(
      [item(lines(COLLAPSE_AFTER_LINES)), item(lines(COLLAPSE_AFTER_LINES + 1)), item('x'.repeat(60 * COLLAPSE_AFTER_LINES)), item('x'.repeat(60 * COLLAPSE_AFTER_LINES + 1)), item('see this', { snippet })].map(isLong),
      [false, true, false, true, true],
    );
  });

  it('remembers which the user opened, each toggle flipping one', () => {
    const expanded = new ExpandedMessages();
    expanded.toggle('ab');
    expanded.toggle('cd');
    expanded.toggle('ab');
    assert.deepStrictEqual([expanded.has('ab'), expanded.has('cd')], [false, true]);
  });

  it('draws a long message collapsed with "Show more", an opened one with "Show less", a short one with neither', () => {
    const doc = newDocument();
    const draw = (text: string, open: boolean) => renderRow(doc, { kind: 'message', key: 'ab', item: item(text), head: true }, {
      me: 'dana', now: 0, firstUnread: null, highlighted: null, reactions: () => [], expanded: () => open,
    });
    const collapsed = draw(lines(40), false);
    assert.deepStrictEqual([collapsed.querySelector('.body')?.classList.contains('collapsed'), collapsed.querySelector('.expand')?.textContent, collapsed.querySelector('.expand')?.getAttribute('aria-expanded')], [true, 'Show more', 'false']);
    assert.strictEqual(collapsed.querySelector('.body')?.textContent?.includes('line 40'), true, 'the whole text is there, only folded');
    const open = draw(lines(40), true);
    assert.deepStrictEqual([open.querySelector('.body')?.classList.contains('collapsed'), open.querySelector('.expand')?.textContent], [false, 'Show less']);
    assert.strictEqual(draw('short', false).querySelector('.expand'), null);
  });
});
