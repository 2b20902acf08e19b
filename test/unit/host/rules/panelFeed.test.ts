import * as assert from 'assert';
import type { ChatItem, PanelUpdate } from '../../../../src/protocol/panel';
import { FEED_WINDOW_MS, MAX_FEED_ITEMS, PanelFeed } from '../../../../src/host/rules/panelFeed';

function item(n: number): ChatItem {
  return { id: n.toString(16), seq: n, username: 'bob', timestamp: 1_700_000_000_000 + n, text: `m${n}`, own: false, status: 'sent' };
}

const append = (n: number): PanelUpdate => ({ type: 'messages', items: [item(n)], position: 'append', hasOlder: n > 1 });

/** A feed whose windows the test ends by hand, and what reached the panel. */
function feed(): { feed: PanelFeed; posted: (PanelUpdate | 'snapshot')[]; endWindow(): void } {
  const posted: (PanelUpdate | 'snapshot')[] = [];
  const windows: { run: () => void; ms: number }[] = [];
  const created = new PanelFeed({ post: (update) => posted.push(update), resync: () => posted.push('snapshot') }, (run, ms) => {
    const window = { run, ms };
    windows.push(window);
    return () => windows.splice(windows.indexOf(window), 1);
  });
  return {
    feed: created,
    posted,
    endWindow: () => {
      const window = windows.shift()!;
      assert.strictEqual(window.ms, FEED_WINDOW_MS);
      window.run();
    },
  };
}

describe('panel feed (host to panel)', () => {
  it('posts at once when quiet, then gathers a window, consecutive new messages as one update', () => {
    const { feed: panel, posted, endWindow } = feed();
    panel.push(append(1));
    assert.deepStrictEqual(posted, [append(1)]);
    panel.push(append(2));
    panel.push(append(3));
    panel.push({ type: 'delivery', id: 'a', status: 'sent' });
    panel.push(append(4));
    assert.strictEqual(posted.length, 1);
    endWindow();
    assert.deepStrictEqual(posted.slice(1), [
      { type: 'messages', items: [item(2), item(3)], position: 'append', hasOlder: true },
      { type: 'delivery', id: 'a', status: 'sent' },
      append(4),
    ]);
    endWindow();
    panel.push(append(5));
    assert.deepStrictEqual(posted.at(-1), append(5), 'quiet again: at once');
  });

  it(`replaces a window of more than ${MAX_FEED_ITEMS} new messages by one snapshot, keeping its errors`, () => {
    const { feed: panel, posted, endWindow } = feed();
    panel.push(append(1));
    for (let n = 2; n <= 10_001; n++) panel.push(append(n));
    panel.push({ type: 'error', message: 'Could not load older messages.' });
    endWindow();
    assert.deepStrictEqual(posted, [append(1), 'snapshot', { type: 'error', message: 'Could not load older messages.' }]);
  });

  it('passes as many as the bound one window at a time, and drops the queue when a snapshot went out otherwise', () => {
    const { feed: panel, posted, endWindow } = feed();
    panel.push(append(1));
    for (let n = 2; n <= MAX_FEED_ITEMS + 1; n++) panel.push(append(n));
    endWindow();
    assert.deepStrictEqual(posted.map((update) => (update === 'snapshot' ? 0 : update.type === 'messages' ? update.items.length : -1)), [1, MAX_FEED_ITEMS]);
    panel.push(append(MAX_FEED_ITEMS + 2));
    panel.discard();
    endWindow();
    assert.strictEqual(posted.length, 2);
  });
});
