import * as assert from 'assert';
import type { ChatItem } from '../../../src/protocol/panel';
import { Conversation, MAX_DATE_MS, MAX_MESSAGES, MAX_TEXT_UNITS } from '../../../src/webview/conversation';
import { estimateRowHeight } from '../../../src/webview/messageView';
import { dayLabel, GROUP_GAP_MS, rowsAfter, startOfDay } from '../../../src/webview/timeline';

const MINUTE = 60_000;
const base = new Date(2025, 2, 10, 9, 0).getTime();

function message(n: number, username: string, timestamp: number, extra: Partial<ChatItem> = {}): ChatItem {
  return { id: n.toString(16), seq: n, username, timestamp, text: `m${n}`, own: username === 'dana', status: 'sent', ...extra };
}

function shape(rows: ReturnType<typeof rowsAfter>): string[] {
  return rows.map((row) => (row.kind === 'day' ? 'day' : `${row.head ? 'H' : '-'}${row.item.id}`));
}

describe('timeline', () => {
  it('groups consecutive messages of a sender and starts a day with a separator', () => {
    const items = [
      message(1, 'alice', base), message(2, 'alice', base + MINUTE), message(3, 'bob', base + 2 * MINUTE),
      message(4, 'bob', base + 2 * MINUTE + GROUP_GAP_MS + 1), message(5, 'bob', new Date(2025, 2, 11, 0, 1).getTime()),
      message(6, 'dana', new Date(2025, 2, 11, 0, 2).getTime()),
    ];
    assert.deepStrictEqual(shape(rowsAfter(undefined, items)), ['day', 'H1', '-2', 'H3', 'H4', 'day', 'H5', 'H6']);
  });

  it('continues the previous group when appending', () => {
    const first = message(1, 'alice', base);
    assert.deepStrictEqual(shape(rowsAfter(first, [message(2, 'alice', base + MINUTE)])), ['-2']);
    assert.deepStrictEqual(shape(rowsAfter(first, [message(2, 'alice', base + 25 * 60 * MINUTE)])), ['day', 'H2']);
  });

  it('separates own messages from another sender of the same name', () => {
    const rows = rowsAfter(undefined, [message(1, 'dana', base, { own: false }), message(2, 'dana', base + MINUTE, { own: true })]);
    assert.deepStrictEqual(shape(rows), ['day', 'H1', 'H2']);
  });

  it('labels days', () => {
    const now = new Date(2025, 2, 10, 15, 0).getTime();
    assert.strictEqual(dayLabel(startOfDay(now), now), 'Today');
    assert.strictEqual(dayLabel(startOfDay(new Date(2025, 2, 9, 23, 0).getTime()), now), 'Yesterday');
    assert.ok(!/Today|Yesterday|2025/u.test(dayLabel(startOfDay(new Date(2025, 2, 1).getTime()), now)));
    assert.match(dayLabel(startOfDay(new Date(2024, 11, 31).getTime()), now), /2024/u);
  });

  it('estimates taller rows for headers, long text, snippets and pending messages', () => {
    const item = message(1, 'alice', base);
    const plain = estimateRowHeight({ kind: 'message', key: '1', item, head: false }, 400);
    assert.ok(estimateRowHeight({ kind: 'message', key: '1', item, head: true }, 400) > plain);
    assert.ok(estimateRowHeight({ kind: 'message', key: '1', item: { ...item, text: 'x'.repeat(500) }, head: false }, 400) > plain);
    assert.ok(estimateRowHeight({ kind: 'message', key: '1', item: { ...item, own: true, status: 'pending' }, head: false }, 400) > plain);
    const snippet = { code: 'a\nb\nc', language: 'ts', path: 'a.ts', startLine: 1, endLine: 3 };
    assert.ok(estimateRowHeight({ kind: 'message', key: '1', item: { ...item, snippet }, head: false }, 400) > plain);
  });
});

describe('conversation', () => {
  it('appends without rebuilding, and replaces a message it already has', () => {
    const conversation = new Conversation();
    conversation.reset([message(1, 'alice', base), message(2, 'dana', base + MINUTE, { seq: undefined, status: 'pending' })]);
    const rowsBefore = conversation.rows;
    const changes = conversation.append([message(2, 'dana', base + MINUTE), message(3, 'bob', base + 2 * MINUTE), message(3, 'bob', base + 2 * MINUTE)]);
    assert.deepStrictEqual(changes, [{ kind: 'updated', rows: [2] }, { kind: 'appended', from: 3 }]);
    assert.strictEqual(conversation.rows, rowsBefore, 'rows are extended in place');
    assert.deepStrictEqual(shape([...conversation.rows]), ['day', 'H1', 'H2', 'H3']);
    assert.strictEqual(conversation.size, 3);
  });

  it('tracks delivery state and clears the reason when it changes', () => {
    const conversation = new Conversation();
    conversation.reset([message(1, 'dana', base, { status: 'pending' })]);
    assert.deepStrictEqual(conversation.setDelivery('1', 'failed', 'rate limited'), { kind: 'updated', rows: [1] });
    const failed = conversation.rows[1];
    assert.ok(failed.kind === 'message' && failed.item.status === 'failed' && failed.item.reason === 'rate limited');
    conversation.setDelivery('1', 'sent', undefined);
    const sent = conversation.rows[1];
    assert.ok(sent.kind === 'message' && sent.item.status === 'sent' && sent.item.reason === undefined);
    assert.strictEqual(conversation.setDelivery('ff', 'sent', undefined), null);
  });

  it('places history sent again live by its time, once, regrouping around it', () => {
    const conversation = new Conversation();
    conversation.reset([message(1, 'alice', base), message(3, 'alice', base + 2 * MINUTE)]);
    conversation.placeByTime([message(2, 'bob', base + MINUTE), message(1, 'alice', base)]);
    assert.deepStrictEqual(conversation.rows.flatMap((row) => (row.kind === 'message' ? [row.item.id] : [])), ['1', '2', '3']);
    assert.deepStrictEqual(shape([...conversation.rows]), ['day', 'H1', 'H2', 'H3']);
  });

  it('prepends older history, regrouping at the boundary and skipping duplicates', () => {
    const conversation = new Conversation();
    conversation.reset([message(5, 'alice', base + 5 * MINUTE), message(6, 'bob', base + 6 * MINUTE)]);
    assert.strictEqual(conversation.oldestSeq(), 5);
    conversation.prepend([message(4, 'alice', base + 4 * MINUTE), message(5, 'alice', base + 5 * MINUTE)]);
    assert.deepStrictEqual(shape([...conversation.rows]), ['day', 'H4', '-5', 'H6']);
    assert.strictEqual(conversation.oldestSeq(), 4);
  });

  it('keeps at most MAX_MESSAGES messages however many arrive, dropping the oldest and saying so', () => {
    const conversation = new Conversation();
    conversation.reset([]);
    const kinds = new Set<string>();
    for (let n = 1; n <= MAX_MESSAGES * 2; n++) {
      for (const change of conversation.append([message(n, n % 2 ? 'alice' : 'bob', base + n)])) kinds.add(change.kind);
      assert.ok(conversation.size <= MAX_MESSAGES, `${conversation.size} messages after ${n}`);
    }
    assert.deepStrictEqual([...kinds].sort(), ['appended', 'rebuilt']);
    assert.strictEqual(conversation.trimmed, true);
    assert.strictEqual(conversation.full, true, 'no more paging in at the bound');
    const rows = conversation.rows;
    const last = rows[rows.length - 1];
    assert.ok(last.kind === 'message' && last.item.seq === MAX_MESSAGES * 2, 'the newest is kept');
    assert.strictEqual(conversation.oldestSeq(), MAX_MESSAGES * 2 - conversation.size + 1, 'only the oldest are dropped');
    conversation.reset([message(1, 'alice', base)]);
    assert.strictEqual(conversation.trimmed, false);
  });

  it('bounds the text it holds too: maximal messages are dropped oldest first', () => {
    const conversation = new Conversation();
    const text = 'x'.repeat(32 * 1024);
    const count = Math.ceil(MAX_TEXT_UNITS / text.length) + 10;
    for (let n = 1; n <= count; n++) conversation.append([message(n, 'alice', base + n, { text })]);
    assert.ok(conversation.size * text.length <= MAX_TEXT_UNITS, `${conversation.size} messages of 32 KiB`);
    assert.ok(conversation.size > 0 && conversation.trimmed);
  });

  it('shows a timestamp beyond what Date can hold as the latest it can, and dates stay formattable', () => {
    const conversation = new Conversation();
    conversation.reset([message(1, 'alice', Number.MAX_SAFE_INTEGER)]);
    conversation.append([message(2, 'bob', 9e15)]);
    const times = conversation.rows.flatMap((row) => (row.kind === 'message' ? [row.item.timestamp] : []));
    assert.deepStrictEqual(times, [MAX_DATE_MS, MAX_DATE_MS]);
    assert.strictEqual(new Date(times[0]).toISOString(), '+275760-09-13T00:00:00.000Z');
  });
});
