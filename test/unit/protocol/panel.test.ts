import * as assert from 'assert';
import { MAX_PLAINTEXT_BYTES } from '../../../src/crypto/limits';
import { encodeBody } from '../../../src/protocol/body';
import { MAX_DRAFT_LENGTH, MAX_JOINED_ROOMS, MAX_ONLINE, MAX_SEARCH_EXCERPT_LENGTH, MAX_SEARCH_QUERY_LENGTH, MAX_SEARCH_RESULTS, MAX_URL_LENGTH } from '../../../src/protocol/limits';
import {
  ChatItem, encodedTextBytes, isWebLink, isWorkspaceRelativePath, MAX_TEXT_BYTES, PanelRoom, SearchResult,
  parseChatItem, parseHostToView, parsePanelSnippet, parseViewToHost, snippetPath, textProblem, usernameProblem, utf8Length,
} from '../../../src/protocol/panel';

const item: ChatItem = {
  id: '00ff', seq: 7, username: 'alice', timestamp: 1_700_000_000_000, text: 'hi', own: false, status: 'sent',
  snippet: { code: 'x', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 4 },
};

function without(value: object, ...keys: string[]): object {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

describe('view protocol', () => {
  describe('limits', () => {
    it('fills the envelope plaintext limit exactly with the body encoding', () => {
      const largest = 'é'.repeat(Math.floor(MAX_TEXT_BYTES / 2)) + 'a'.repeat(MAX_TEXT_BYTES % 2);
      assert.strictEqual(textProblem(largest), null);
      assert.strictEqual(encodeBody({ text: largest }).length, MAX_PLAINTEXT_BYTES);
      assert.match(textProblem(`${largest}a`) ?? '', /too long/u);
    });

    it('counts JSON escapes, so a text that passes always fits its envelope', () => {
      const quotes = '"'.repeat(Math.floor(MAX_TEXT_BYTES / 2));
      assert.strictEqual(encodedTextBytes(quotes), quotes.length * 2);
      assert.ok(encodeBody({ text: quotes }).length <= MAX_PLAINTEXT_BYTES);
      assert.notStrictEqual(textProblem(quotes + '"'), null);
    });

    it('measures UTF-8 like Buffer does', () => {
      for (const text of ['', 'abc', 'é', '€', '😀', 'a\u{10ffff}b', '\ud800']) assert.strictEqual(utf8Length(text), Buffer.byteLength(text, 'utf8'), text);
    });

    it('refuses empty text', () => {
      assert.notStrictEqual(textProblem(' \n\t'), null);
    });

    it('measures a text with a snippet as the whole body, so one that passes fits its envelope; a snippet needs no text', () => {
      const snippet = { code: '"'.repeat(1000), language: 'typescript', path: 'src/a.ts', startLine: 1, endLine: 1 };
      assert.strictEqual(textProblem('', undefined, snippet), null);
      const room = MAX_PLAINTEXT_BYTES - encodeBody({ text: '', snippet }).length;
      assert.strictEqual(textProblem('x'.repeat(room), undefined, snippet), null);
      assert.strictEqual(encodeBody({ text: 'x'.repeat(room), snippet }).length, MAX_PLAINTEXT_BYTES);
      assert.strictEqual(textProblem('x'.repeat(room + 1), undefined, snippet), `Message is too long: ${(MAX_TEXT_BYTES + 1).toLocaleString('en-US')} of ${MAX_TEXT_BYTES.toLocaleString('en-US')} bytes.`);
    });

    it('checks usernames as the crypto layer does (1-16 bytes, no control characters)', () => {
      assert.strictEqual(usernameProblem('a'), null);
      assert.strictEqual(usernameProblem('x'.repeat(16)), null);
      assert.strictEqual(usernameProblem('é'.repeat(8)), null);
      for (const bad of [null, '', 'x'.repeat(17), 'é'.repeat(9), 'a\nb', 'a\u0000']) assert.notStrictEqual(usernameProblem(bad), null, String(bad));
    });

    it('says how many bytes a name too long needs, in the same words as the crypto layer', () => {
      assert.strictEqual(usernameProblem('Noémie Lefèvré'), 'Username is too long: at most 16 bytes, this name needs 17; use a shorter name or fewer accented letters.');
    });

    it('says its problems in the words it is given (the panel\'s, in the user\'s language)', () => {
      const keyed = (key: string, ...args: (string | number)[]) => [key, ...args].join('|');
      assert.strictEqual(textProblem(' ', keyed), 'messageEmpty');
      assert.strictEqual(textProblem('x'.repeat(MAX_TEXT_BYTES + 1), keyed), `messageTooLong|${(MAX_TEXT_BYTES + 1).toLocaleString('en-US')}|${MAX_TEXT_BYTES.toLocaleString('en-US')}`);
      assert.deepStrictEqual([null, '', 'Noémie Lefèvré', 'a\u200bb'].map((name) => usernameProblem(name, keyed)), ['usernameMissing|16', 'usernameMissing|16', 'usernameTooLong|16|17', 'usernameUnsafe']);
    });

    it('refuses format characters (Unicode Cf) in usernames, as the crypto layer does', () => {
      for (const bad of ['a\u200bb', '\u202eevil', 'bob\u2066', '\ufeffbob']) assert.match(usernameProblem(bad) ?? '', /format characters/u, JSON.stringify(bad));
    });

    it('accepts only http(s) links and workspace-relative paths', () => {
      for (const url of ['http://example.com', 'https://example.com/a?b#c', 'HTTPS://EXAMPLE.COM']) assert.ok(isWebLink(url), url);
      for (const url of ['javascript:alert(1)', 'https://', 'https:///x', 'file:///etc/passwd', 'command:x', 'https://a b', `https://${'a'.repeat(3000)}`]) {
        assert.ok(!isWebLink(url), url);
      }
      for (const path of ['a.ts', 'src/a/b.ts', '.github/x.yml', 'a..b/c']) assert.ok(isWorkspaceRelativePath(path), path);
      for (const path of ['', '/etc/passwd', '../x', 'a/../../x', 'a\\b', 'C:/x', 'a//b', 'a/', 'a\nb']) assert.ok(!isWorkspaceRelativePath(path), path);
    });

    it('accepts workspace paths of a conservative character set only: nothing that could form a link or a scheme', () => {
      for (const path of ['src/my file.ts', 'docs/été/notes.md', 'a-b_c+d@e~f,g=h.txt', 'src/日本.ts']) assert.ok(isWorkspaceRelativePath(path), path);
      for (const path of ['[Open file](command:workbench.action.terminal.new)', 'a](command:x)', 'command:x', 'file:a', 'a(b).ts', 'a[b].ts',
        'a<b>.ts', 'a`b`.ts', 'a*b.ts', 'a|b', 'a?b', 'a"b', 'a\u202eb.ts', 'a\u200bb.ts']) {
        assert.ok(!isWorkspaceRelativePath(path), path);
      }
    });
  });

  describe('snippet paths', () => {
    it('shows any relative path or file name as it is, the characters the view opens or not; an absolute or climbing one by its file name', () => {
      for (const path of ['src/a.ts', 'src/a(b).ts', 'app/[slug]/page.tsx', 'notes/a:b.md', 'a`b`.ts', 'x.ts']) {
        assert.strictEqual(snippetPath(path), path, path);
        assert.strictEqual(parsePanelSnippet({ ...item.snippet, path }).ok, true, path);
      }
      for (const [path, shown] of [['/home/me/a(b).ts', 'a(b).ts'], ['../x.ts', 'x.ts'], ['a/../../b.ts', 'b.ts'], ['C:/repo/a.ts', 'a.ts'], ['C:\\repo\\a.ts', 'a.ts'],
        ['a//b.ts', 'b.ts'], ['src/', 'src'], ['..', 'snippet'], ['', 'snippet'], ['src/a\u202eb.ts', 'snippet'], ['x'.repeat(1025), 'snippet']]) {
        assert.strictEqual(snippetPath(path), shown, path);
        assert.strictEqual(parsePanelSnippet({ ...item.snippet, path }).ok, false, path);
      }
    });
  });

  describe('parseChatItem', () => {
    it('accepts a full item and one without optional fields', () => {
      assert.deepStrictEqual(parseChatItem(item), { ok: true, value: item });
      const minimal = without(item, 'seq', 'snippet');
      assert.deepStrictEqual(parseChatItem(minimal), { ok: true, value: minimal });
      assert.deepStrictEqual(parseChatItem({ ...item, status: 'failed', reason: 'rate limited' }), { ok: true, value: { ...item, status: 'failed', reason: 'rate limited' } });
    });

    it('rejects malformed items', () => {
      const bad: object[] = [
        { ...item, id: 'XYZ' }, { ...item, id: '' }, { ...item, seq: -1 }, { ...item, seq: 1.5 }, { ...item, username: '' },
        { ...item, username: 'x'.repeat(17) }, { ...item, timestamp: 'now' }, { ...item, text: 5 }, { ...item, own: 'yes' },
        { ...item, status: 'delivered' }, { ...item, reason: 3 }, { ...item, snippet: 'code' },
        { ...item, snippet: { ...item.snippet, path: '../secret' } }, { ...item, snippet: { ...item.snippet, startLine: 0 } },
        { ...item, snippet: { ...item.snippet, endLine: 2 } }, without(item, 'text'), without(item, 'own'),
      ];
      for (const value of bad) assert.strictEqual(parseChatItem(value).ok, false, JSON.stringify(value));
    });
  });

  describe('parseHostToView', () => {
    const valid: object[] = [
      { type: 'snapshot', connection: { status: 'connected', address: 'ws://h:1' }, me: 'dana', messages: [item], online: [{ name: 'alice', me: false }], hasOlder: true },
      { type: 'snapshot', connection: { status: 'disconnected' }, me: null, messages: [], online: [], hasOlder: false, draft: 'hi' },
      { type: 'messages', items: [item], position: 'append', hasOlder: false },
      { type: 'messages', items: [], position: 'prepend', hasOlder: true },
      { type: 'delivery', id: '00ff', status: 'sent' },
      { type: 'delivery', id: '00ff', status: 'failed', reason: 'too large' },
      { type: 'connection', status: 'reconnecting', detail: 'in 8 s' },
      { type: 'presence', online: [{ name: 'alice', me: true }, { name: 'bob', tag: '0d48 ac3f', me: false }, { name: 'bob', tag: '9f00 0001', me: false }], joined: 'bob' },
      { type: 'presence', online: [{ name: 'bo', me: false }], renamed: { from: 'bob', to: 'bo' } },
      { type: 'messages', items: [{ ...item, unsigned: true }], position: 'append', hasOlder: false },
      { type: 'presence', online: [], left: 'bob' },
      { type: 'error', message: 'Message is too long.' },
      { type: 'config', username: 'dana' },
      { type: 'config', username: null },
      { type: 'sendResult', id: 1 },
      { type: 'sendResult', id: 2, refusal: 'Not connected to a room yet.' },
      { type: 'attachSnippet', snippet: item.snippet },
      { type: 'showMessage', id: 'ab'.repeat(16) },
    ];
    it('accepts every kind', () => {
      for (const message of valid) assert.deepStrictEqual(parseHostToView(message), { ok: true, value: message });
    });

    it('rejects malformed messages', () => {
      const bad: unknown[] = [
        null, 'snapshot', [], {}, { type: 'nope' },
        { type: 'snapshot', connection: { status: 'up' }, me: 'dana', messages: [], online: [], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 3, messages: [], online: [], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [{}], online: [], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [{ name: '', me: false }], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: ['alice'], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [{ name: 'alice', tag: '<b>', me: false }], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [{ name: 'alice' }], hasOlder: true },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [], hasOlder: 'yes' },
        { type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: Array(MAX_ONLINE + 1).fill({ name: 'a', me: false }), hasOlder: true },
        { type: 'messages', items: [item], position: 'middle', hasOlder: false },
        { type: 'messages', items: item, position: 'append', hasOlder: false },
        { type: 'delivery', id: '00ff', status: 'lost' },
        { type: 'delivery', status: 'sent' },
        { type: 'connection', status: 'connected', detail: 'x'.repeat(5000) },
        { type: 'presence', online: [{ name: 'alice', me: false }], joined: 'x'.repeat(17) },
        { type: 'presence', online: [], renamed: { from: 'bob' } },
        { type: 'presence' },
        { type: 'error', message: '' },
        { type: 'config', username: 'a\u0007' },
        { type: 'sendResult' }, { type: 'sendResult', id: -1 }, { type: 'sendResult', id: 1, refusal: '' },
        { type: 'sendResult', id: 1, refusal: 'x'.repeat(5000) },
        { type: 'attachSnippet' }, { type: 'attachSnippet', snippet: { ...item.snippet, path: '../etc/passwd' } },
        { type: 'showMessage' }, { type: 'showMessage', id: 'not hex' },
      ];
      for (const message of bad) assert.strictEqual(parseHostToView(message).ok, false, JSON.stringify(message));
    });
  });

  describe('search', () => {
    const result: SearchResult = { id: '00ff', seq: 7, username: 'alice', timestamp: 1_700_000_000_000, text: 'Crème brûlée', match: { field: 'text', start: 0, end: 5 } };

    it('accepts the search messages both ways', () => {
      const toView: object[] = [
        { type: 'openSearch' },
        { type: 'searchResults', id: 1, results: [result, { ...result, match: { field: 'username', start: 0, end: 5 } }], done: false },
        { type: 'searchResults', id: 1, results: [{ ...without(result, 'match') }], done: true, capped: true },
        { type: 'searchResults', id: 2, results: [], done: true, failed: 'Messages can be searched once connected.' },
      ];
      for (const message of toView) assert.deepStrictEqual(parseHostToView(message), { ok: true, value: message });
      const toHost: object[] = [{ type: 'search', id: 3, query: 'é'.repeat(MAX_SEARCH_QUERY_LENGTH) }, { type: 'searchClosed' }];
      for (const message of toHost) assert.deepStrictEqual(parseViewToHost(message), { ok: true, value: message });
    });

    it('refuses from the panel a query that is empty, too long or not text, and a search with no id', () => {
      const bad: unknown[] = [
        { type: 'search', id: 1, query: '' }, { type: 'search', id: 1, query: 'x'.repeat(MAX_SEARCH_QUERY_LENGTH + 1) },
        { type: 'search', id: 1, query: 42 }, { type: 'search', query: 'x' }, { type: 'search', id: -1, query: 'x' }, { type: 'search', id: 1 },
      ];
      for (const message of bad) assert.strictEqual(parseViewToHost(message).ok, false, JSON.stringify(message));
      assert.deepStrictEqual(parseViewToHost({ type: 'search', id: 1, query: 'x'.repeat(MAX_SEARCH_QUERY_LENGTH + 1) }), { ok: false, error: `"query" must be a string of 1-${MAX_SEARCH_QUERY_LENGTH} characters` });
    });

    it('refuses malformed results: too many, too long a text, a span out of order, no seq', () => {
      const results = (...list: unknown[]) => ({ type: 'searchResults', id: 1, results: list, done: false });
      const bad: unknown[] = [
        results(...Array(MAX_SEARCH_RESULTS + 1).fill(result)),
        results({ ...result, text: 'x'.repeat(MAX_SEARCH_EXCERPT_LENGTH + 1) }),
        results({ ...result, match: { field: 'text', start: 3, end: 3 } }),
        results({ ...result, match: { field: 'body', start: 0, end: 1 } }),
        results({ ...result, match: { field: 'text', start: 0, end: MAX_SEARCH_EXCERPT_LENGTH + 1 } }),
        results(without(result, 'seq')), results({ ...result, seq: 0 }), results({ ...result, username: '' }),
        { type: 'searchResults', id: 1, results: [] },
      ];
      for (const message of bad) assert.strictEqual(parseHostToView(message).ok, false, JSON.stringify(message));
    });
  });

  describe('rooms', () => {
    const room: PanelRoom = { address: 'ws://127.0.0.1:7777/design', name: 'design', unread: 3, active: false, status: 'connected' };

    it('accepts the room row both ways', () => {
      const toView = { type: 'rooms', rooms: [room, { ...room, address: 'ws://127.0.0.1:7777', name: '127.0.0.1:7777', unread: 0, active: true, status: 'reconnecting' }] };
      assert.deepStrictEqual(parseHostToView(toView), { ok: true, value: toView });
      assert.deepStrictEqual(parseHostToView({ type: 'rooms', rooms: [] }), { ok: true, value: { type: 'rooms', rooms: [] } });
      assert.deepStrictEqual(parseViewToHost({ type: 'switchRoom', address: room.address }), { ok: true, value: { type: 'switchRoom', address: room.address } });
    });

    it('refuses more rooms than can be joined, a count that is no count, an unknown status, and a switch to no address', () => {
      const bad: unknown[] = [
        { type: 'rooms', rooms: Array(MAX_JOINED_ROOMS + 1).fill(room) },
        { type: 'rooms', rooms: [{ ...room, unread: -1 }] }, { type: 'rooms', rooms: [{ ...room, unread: 1.5 }] },
        { type: 'rooms', rooms: [{ ...room, status: 'authenticating' }] }, { type: 'rooms', rooms: [{ ...room, name: '' }] },
        { type: 'rooms', rooms: [without(room, 'active')] }, { type: 'rooms' },
      ];
      for (const message of bad) assert.strictEqual(parseHostToView(message).ok, false, JSON.stringify(message));
      for (const address of ['', 'x'.repeat(MAX_URL_LENGTH + 1), 7]) assert.strictEqual(parseViewToHost({ type: 'switchRoom', address }).ok, false, String(address));
      assert.deepStrictEqual(parseHostToView({ type: 'rooms', rooms: [{ ...room, unread: -1 }] }), { ok: false, error: `"rooms.0.unread" must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}` });
    });
  });

  describe('rejections', () => {
    it('name the field and why', () => {
      assert.deepStrictEqual(parseViewToHost({ type: 'openLink', url: 'javascript:alert(1)' }), { ok: false, error: '"url" must be an http(s) link' });
      assert.deepStrictEqual(parseViewToHost({ type: 'nope' }), { ok: false, error: '"type" must be a known message type' });
      assert.deepStrictEqual(
        parseHostToView({ type: 'messages', items: [{ ...item, snippet: { ...item.snippet, path: '../etc/passwd' } }], position: 'append', hasOlder: false }),
        { ok: false, error: '"items.0.snippet.path" must be a relative path or a file name' },
      );
      assert.deepStrictEqual(parseHostToView([]), { ok: false, error: 'must be an object' });
    });
  });

  describe('parseViewToHost', () => {
    const valid: object[] = [
      { type: 'ready' }, { type: 'markRead' }, { type: 'send', id: 1, text: 'hello' }, { type: 'loadOlder', beforeSeq: 10 },
      { type: 'openReference', path: 'src/a.ts', line: 3 }, { type: 'openLink', url: 'https://example.com' },
      { type: 'command', name: 'connect' }, { type: 'command', name: 'setPassword' }, { type: 'command', name: 'setUsername' },
      { type: 'command', name: 'startServer' },
      { type: 'send', id: 2, text: 'Why?', snippet: item.snippet }, { type: 'copyLink', id: 'ab'.repeat(16) },
    ];
    it('accepts every kind', () => {
      for (const message of valid) assert.deepStrictEqual(parseViewToHost(message), { ok: true, value: message });
    });

    it('drops fields it does not know', () => {
      assert.deepStrictEqual(parseViewToHost({ type: 'send', id: 1, text: 'x', html: '<b>' }), { ok: true, value: { type: 'send', id: 1, text: 'x' } });
    });

    it('lets a send with unsendable text through, for the host to refuse it with a reason', () => {
      for (const text of ['', 'a'.repeat(MAX_TEXT_BYTES + 1)]) assert.deepStrictEqual(parseViewToHost({ type: 'send', id: 3, text }), { ok: true, value: { type: 'send', id: 3, text } });
    });

    it('rejects malformed messages', () => {
      const bad: unknown[] = [
        undefined, 42, { type: 'send' }, { type: 'send', text: 'hi' }, { type: 'send', id: 1.5, text: 'hi' },
        { type: 'send', id: 1, text: 'a'.repeat(MAX_DRAFT_LENGTH + 1) },
        { type: 'loadOlder', beforeSeq: -1 }, { type: 'loadOlder', beforeSeq: '5' },
        { type: 'openReference', path: '/etc/passwd', line: 1 }, { type: 'openReference', path: 'a.ts', line: 0 },
        { type: 'openLink', url: 'javascript:alert(1)' }, { type: 'openLink', url: 'vscode://settings' },
        { type: 'command', name: 'deleteEverything' }, { type: 'command' }, { type: 'snapshot' },
        { type: 'send', id: 1, text: 'hi', snippet: { ...item.snippet, path: '/etc/passwd' } }, { type: 'send', id: 1, text: 'hi', snippet: 'code' },
        { type: 'copyLink' }, { type: 'copyLink', id: 'javascript:alert(1)' },
      ];
      for (const message of bad) assert.strictEqual(parseViewToHost(message).ok, false, JSON.stringify(message));
    });
  });
});
