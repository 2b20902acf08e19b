import * as assert from 'assert';
import type { ChatMessage, HistoryPage } from '../../../../src/client';
import type { MessageBody } from '../../../../src/protocol/body';
import type { SearchResult } from '../../../../src/protocol/panel';
import { excerpt, findIn, fold, foldQuery, matchMessage, walkHistory } from '../../../../src/host/rules/roomSearch';
import { receivedItem } from '../../../../src/host/rules/panelState';

const ALICE = Buffer.alloc(32, 0xa1);
const MALLORY = Buffer.alloc(32, 0xee);

/** A stored message of `seq`, signed by `signer` (alice by default). */
function message(seq: number, body: MessageBody, fields: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: seq.toString(16).padStart(32, '0'), seq, username: 'alice', timestamp: 1_000_000 + seq, body, readable: true, signer: ALICE, own: false, news: false, ...fields,
  };
}

/** A room of these messages (ascending), served in pages of `size` as the client's readHistory does. */
function room(messages: readonly ChatMessage[], size: number): { read: (before: number | undefined) => Promise<HistoryPage>; reads: (number | undefined)[] } {
  const reads: (number | undefined)[] = [];
  return {
    reads,
    read: async (before) => {
      reads.push(before);
      const older = messages.filter((m) => before === undefined || (m.seq ?? 0) < before);
      return { messages: older.slice(-size), hasMore: older.length > size };
    },
  };
}

async function search(query: string, messages: readonly ChatMessage[], size = 3, maxResults?: number): Promise<{ pages: (readonly SearchResult[])[]; end: Awaited<ReturnType<typeof walkHistory>>; reads: (number | undefined)[] }> {
  const served = room(messages, size);
  const pages: (readonly SearchResult[])[] = [];
  const end = await walkHistory({ query, read: served.read, toItem: (m) => receivedItem(m), found: (results) => pages.push(results), cancelled: () => false, maxResults });
  return { pages, end, reads: served.reads };
}

describe('room search', () => {
  it('folds case and accents away, code point by code point, and knows where each folded unit came from', () => {
    assert.strictEqual(fold('Crème BRÛLÉE').text, 'creme brulee');
    assert.strictEqual(fold('İstanbul').text, 'istanbul', 'the dot lower case adds is a mark too');
    assert.strictEqual(fold('e\u0301te\u0301').text, 'ete', 'decomposed accents');
    assert.deepStrictEqual(fold('e\u0301a').origin, [0, 2, 3]);
    assert.strictEqual(foldQuery('  ÉTÉ '), 'ete');
  });

  it('finds the query as a substring and marks the original characters it matched, accents included', () => {
    assert.deepStrictEqual(findIn('Die Crème brûlée war gut', foldQuery('creme BRULEE')), { start: 4, end: 16 });
    // "é" written as e + combining accent: the mark covers both units.
    assert.deepStrictEqual(findIn('cafe\u0301!', 'cafe'), { start: 0, end: 5 });
    assert.deepStrictEqual(findIn('😀 Ünïcode', 'unicode'), { start: 3, end: 10 });
    assert.strictEqual(findIn('nothing here', 'missing'), undefined);
    assert.strictEqual(findIn('anything', ''), undefined, 'an empty query finds nothing');
  });

  it('matches the text first, then the sender\'s name', () => {
    assert.deepStrictEqual(matchMessage({ username: 'zoë', text: 'hello Zoe' }, 'zoe'), { field: 'text', start: 6, end: 9 });
    assert.deepStrictEqual(matchMessage({ username: 'Zoë', text: 'hello' }, 'zoe'), { field: 'username', start: 0, end: 3 });
    assert.strictEqual(matchMessage({ username: 'bob', text: 'hello' }, 'zoe'), undefined);
  });

  it('cuts a long text to a window around the match, ellipses marking the cuts, the span moved with it', () => {
    const text = `${'a'.repeat(300)}needle${'b'.repeat(300)}`;
    const shown = excerpt(text, { start: 300, end: 306 }, 100);
    assert.strictEqual(shown.text.length, 100);
    assert.ok(shown.text.startsWith('…') && shown.text.endsWith('…'));
    assert.ok(shown.span);
    assert.strictEqual(shown.text.slice(shown.span.start, shown.span.end), 'needle');
    assert.deepStrictEqual(excerpt('short', { start: 0, end: 5 }), { text: 'short', span: { start: 0, end: 5 } });
    assert.strictEqual(excerpt('x'.repeat(300), undefined, 50).text, `${'x'.repeat(49)}…`);
  });

  it('walks every page from the newest to the oldest, streaming the matches of each page newest first', async () => {
    const messages = [1, 2, 3, 4, 5, 6, 7].map((seq) => message(seq, { text: seq % 2 === 1 ? `Déjà vu ${seq}` : `other ${seq}` }));
    const { pages, end, reads } = await search('DEJA', messages);
    assert.deepStrictEqual(reads, [undefined, 5, 2]);
    assert.deepStrictEqual(pages.map((page) => page.map((r) => r.seq)), [[7, 5], [3], [1]]);
    assert.deepStrictEqual(pages[0][0], { id: messages[6].id, seq: 7, username: 'alice', timestamp: 1_000_007, text: 'Déjà vu 7', match: { field: 'text', start: 0, end: 4 } });
    assert.deepStrictEqual(end, { count: 4, capped: false, cancelled: false });
  });

  it('finds a message by the text its author\'s latest edit gave it, not by the old one; a deleted message is no result', async () => {
    const target = message(1, { text: 'the old words' });
    const deleted = message(2, { text: 'old words, deleted' });
    const messages = [
      target, deleted,
      message(3, { text: 'new words', edit: { to: target.id } }),
      message(4, { text: 'forged words', edit: { to: target.id } }, { signer: MALLORY, username: 'alice' }),
      message(5, { text: '', delete: { to: deleted.id } }),
      message(6, { text: '', react: { to: target.id, emoji: '👍', on: true } }),
    ];
    assert.deepStrictEqual((await search('new words', messages, 2)).pages.flat().map((r) => [r.seq, r.text]), [[1, 'new words']]);
    assert.deepStrictEqual((await search('old', messages, 2)).pages.flat(), [], 'neither the old text nor the deleted message');
    assert.deepStrictEqual((await search('forged', messages, 2)).pages.flat(), [], 'another key\'s edit counts for nothing');
    // Edits, deletes and reactions are by alice too, but no results of their own.
    assert.deepStrictEqual((await search('alice', messages, 2)).pages.flat().map((r) => [r.seq, r.match]), [[1, { field: 'username', start: 0, end: 5 }]]);
  });

  it('stops at the cap, saying older history was left unread', async () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i + 1, { text: `match ${i + 1}` }));
    const { pages, end, reads } = await search('match', messages, 4, 5);
    assert.deepStrictEqual(pages.flat().map((r) => r.seq), [10, 9, 8, 7, 6]);
    assert.deepStrictEqual(end, { count: 5, capped: true, cancelled: false });
    assert.deepStrictEqual(reads, [undefined, 7], 'no page read past the cap');
    assert.deepStrictEqual((await search('match', messages.slice(0, 5), 5, 5)).end, { count: 5, capped: false, cancelled: false }, 'exactly the cap, nothing older: not capped');
  });

  it('reads no further page once cancelled, and reports nothing found after', async () => {
    const messages = Array.from({ length: 9 }, (_, i) => message(i + 1, { text: 'same' }));
    const served = room(messages, 3);
    let cancelled = false;
    const pages: (readonly SearchResult[])[] = [];
    const end = await walkHistory({
      query: 'same', read: served.read, toItem: (m) => receivedItem(m), cancelled: () => cancelled,
      found: (results) => {
        pages.push(results);
        cancelled = true;
      },
    });
    assert.deepStrictEqual([pages.length, served.reads, end], [1, [undefined], { count: 3, capped: false, cancelled: true }]);
  });
});
