import * as assert from 'assert';
import type { ChatMessage } from '../../../../src/client';
import { VerificationBook } from '../../../../src/host/rules/memberTrust';
import { ARCHIVE_LIMIT, PanelState, receivedItem, panelConnection } from '../../../../src/host/rules/panelState';
import { presenceChange } from '../../../../src/host/rules/onlineList';
import { parseHostToView } from '../../../../src/protocol/panel';

const ADDRESS = 'ws://127.0.0.1:7777';

function message(seq: number, fields: Partial<ChatMessage> = {}): ChatMessage {
  return { id: seq.toString(16).padStart(32, '0'), seq, username: 'bob', timestamp: 1_700_000_000_000 + seq, body: { text: `message ${seq}` }, readable: true, signer: Buffer.alloc(32, 7), own: false, news: true, ...fields };
}

describe('panel state', () => {
  it('places history sent again live by its timestamp, after messages of the same time', () => {
    const panel = new PanelState(ADDRESS);
    for (const seq of [1, 3, 5]) panel.append(receivedItem(message(seq))!);
    const update = panel.placeByTime(receivedItem(message(4, { seq: undefined, timestamp: 1_700_000_000_003 }))!);
    assert.deepStrictEqual([update.type, update.type === 'messages' && update.position], ['messages', 'byTime']);
    assert.deepStrictEqual(panel.snapshot('me').messages.map((item) => [item.id.slice(-1), item.seq]), [['1', 1], ['3', 3], ['4', undefined], ['5', 5]]);
  });

  it('maps a received message to an item the view accepts', () => {
    const item = receivedItem(message(3, { body: { text: 'hi', snippet: { code: 'x', language: 'ts', path: 'src/a.ts', startLine: 2, endLine: 4 } } }));
    assert.deepStrictEqual(item, {
      id: message(3).id, seq: 3, username: 'bob', timestamp: 1_700_000_000_003, text: 'hi', own: false, status: 'sent', signer: '07'.repeat(32),
      snippet: { code: 'x', language: 'ts', path: 'src/a.ts', startLine: 2, endLine: 4 },
    });
  });

  it('maps an edit and a tombstone to items naming their target, with the signer\'s key for the view\'s check', () => {
    const to = 'ab'.repeat(16);
    assert.deepStrictEqual([receivedItem(message(4, { body: { text: 'v2', edit: { to } } }))?.edit, receivedItem(message(4, { body: { text: 'v2', edit: { to } } }))?.text], [{ to }, 'v2']);
    const tombstone = receivedItem(message(5, { body: { text: '', delete: { to } } }));
    assert.deepStrictEqual([tombstone?.delete, tombstone?.text, tombstone?.signer], [{ to }, '', '07'.repeat(32)]);
    assert.strictEqual(receivedItem(message(6, { signer: null, body: { text: 'old' } }))?.signer, undefined, 'unsigned history names no signer');
  });

  it('keeps a snippet path the view would refuse from spoiling the update: it becomes the file name', () => {
    for (const [path, shown] of [['/etc/passwd', 'passwd'], ['../../secret.ts', 'secret.ts'], ['C:\\repo\\a.ts', 'a.ts'], ['..', 'snippet']]) {
      const item = receivedItem(message(1, { body: { text: '', snippet: { code: 'x', language: 'ts', path, startLine: 1, endLine: 1 } } }));
      assert.strictEqual(item?.snippet?.path, shown, path);
      assert.ok(parseHostToView({ type: 'messages', items: [item], position: 'append', hasOlder: false }).ok, `the view accepts the item for ${path}`);
    }
  });

  it('describes each client state for the panel', () => {
    assert.deepStrictEqual(panelConnection({ status: 'authenticating' }, ADDRESS), { status: 'connecting', detail: 'verifying the room password…', address: ADDRESS });
    const refused = panelConnection({ status: 'reconnecting', attempt: 2, inMs: 4_200, reason: 'connect ECONNREFUSED 127.0.0.1:7777' }, ADDRESS, 'disconnected', 1_700_000_000_000);
    assert.deepStrictEqual(refused, {
      status: 'reconnecting', detail: 'Nothing answers at this address: the server may be stopped or restarting.', retryAt: 1_700_000_004_200,
      address: ADDRESS, actions: ['reconnect'],
    });
    assert.ok(parseHostToView({ type: 'connection', ...refused }).ok, 'the view accepts it');
    assert.match(panelConnection({ status: 'error', kind: 'auth-failed', message: 'x' }, ADDRESS).detail ?? '', /Wrong room password/);
    assert.deepStrictEqual(panelConnection({ status: 'error', kind: 'auth-failed', message: 'x' }, ADDRESS).actions, ['setPassword']);
  });

  it('offers Reconnect after Disconnect, and Start Server or Reconnect after the own server stopped', () => {
    assert.deepStrictEqual(panelConnection({ status: 'disconnected' }, ADDRESS), { status: 'disconnected', address: ADDRESS, actions: ['reconnect', 'connect'] });
    assert.deepStrictEqual(panelConnection({ status: 'disconnected' }, ADDRESS, 'server-stopped'), {
      status: 'disconnected', address: ADDRESS, detail: 'The server on this computer was stopped.', actions: ['startServer', 'reconnect'],
    });
    assert.ok(parseHostToView({ type: 'connection', ...panelConnection({ status: 'disconnected' }, ADDRESS, 'server-stopped') }).ok, 'the view accepts it');
  });

  it('says every detail in the language it is given', () => {
    const marked = (message: string, ...args: (string | number)[]) => `[${message}|${args.join(',')}]`;
    const detail = (state: Parameters<typeof panelConnection>[0], offline?: 'server-stopped') => panelConnection(state, ADDRESS, offline, 0, marked).detail;
    assert.strictEqual(detail({ status: 'authenticating' }), '[verifying the room password…|]');
    assert.strictEqual(detail({ status: 'disconnected' }, 'server-stopped'), '[The server on this computer was stopped.|]');
    assert.strictEqual(detail({ status: 'error', kind: 'incompatible', message: 'x' }), '[This server is not compatible with this version of Secure Chat.|]');
    assert.strictEqual(detail({ status: 'reconnecting', attempt: 1, inMs: 1, reason: 'connect ECONNREFUSED 127.0.0.1:7777' }), '[Nothing answers at this address: the server may be stopped or restarting.|]');
  });

  it('names one member joining or leaving, but not a whole list arriving or going', () => {
    const [alice, bob] = [{ key: Buffer.alloc(32, 1), name: 'alice' }, { key: Buffer.alloc(32, 2), name: 'bob' }];
    assert.deepStrictEqual(presenceChange([], [alice, bob]), {});
    assert.deepStrictEqual(presenceChange([alice], [alice, bob]), { joined: 'bob' });
    assert.deepStrictEqual(presenceChange([alice, bob], [alice]), { left: 'bob' });
    assert.deepStrictEqual(presenceChange([alice, bob], []), {});
    assert.deepStrictEqual(presenceChange([alice, bob], [alice, { ...bob, name: 'rob' }]), {}, 'a rename is neither');
  });

  it('marks unsigned history, which the view accepts', () => {
    const item = receivedItem(message(2, { signer: null }));
    assert.strictEqual(item?.unsigned, true);
    assert.ok(parseHostToView({ type: 'messages', items: [item], position: 'append', hasOlder: false }).ok);
    assert.strictEqual('unsigned' in receivedItem(message(3))!, false, 'a signed message carries no mark');
  });

  it('lists members by key: "(you)" is this installation\'s key, two of one name are told apart by key id, a rename is "old is now new"', () => {
    const state = new PanelState(ADDRESS);
    const mine = Buffer.alloc(32, 3);
    const update = state.setOnline([{ key: Buffer.alloc(32, 1), name: 'root' }, { key: mine, name: 'root' }, { key: Buffer.alloc(32, 2), name: 'zoe' }], mine);
    assert.ok(update.type === 'presence');
    assert.deepStrictEqual(update.online.map((entry) => [entry.name, entry.me, entry.tag !== undefined]), [['root', false, true], ['root', true, true], ['zoe', false, false]]);
    assert.notStrictEqual(update.online[0].tag, update.online[1].tag);
    assert.match(update.online[0].tag ?? '', /^[0-9a-f]{4} [0-9a-f]{4}$/u);
    assert.ok(parseHostToView(update).ok, 'the view accepts it');
    const renamed = state.renamed({ key: Buffer.alloc(32, 2), from: 'zoe', to: 'zed' });
    assert.deepStrictEqual(renamed.type === 'presence' && renamed.renamed, { from: 'zoe', to: 'zed' });
    assert.ok(parseHostToView(renamed).ok);
  });

  it('marks verified members and keys under a verified name in the list, and names each member but oneself by key id', () => {
    const state = new PanelState(ADDRESS);
    const mine = Buffer.alloc(32, 3);
    const [bob, impostor] = [Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex'), Buffer.from('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'hex')];
    const book = new VerificationBook();
    book.verify(bob, 'bob', 1);
    const update = state.setOnline([{ key: bob, name: 'bob' }, { key: impostor, name: 'bob' }, { key: mine, name: 'me' }], mine, book);
    assert.ok(update.type === 'presence');
    assert.deepStrictEqual(update.online, [
      { name: 'bob', tag: '0d48 ac3f', me: false, id: '0d48ac3f390caae5', verified: true },
      { name: 'bob', tag: '9f32 2c09', me: false, id: '9f322c09120379ca', keyChanged: true },
      { name: 'me', me: true },
    ]);
    assert.ok(parseHostToView(update).ok);
    book.verify(impostor, 'bob', 2);
    state.retrust(mine, book, () => ({}));
    assert.deepStrictEqual(state.snapshot('me').online.map((entry) => [entry.verified, entry.keyChanged]), [[undefined, true], [true, undefined], [undefined, undefined]], 'the old key no longer speaks for the name');
  });

  it('puts history in front, tracks delivery and answers older pages from memory first', () => {
    const state = new PanelState(ADDRESS);
    const live = state.append(receivedItem(message(11))!);
    assert.deepStrictEqual(live, { type: 'messages', items: [receivedItem(message(11))], position: 'append', hasOlder: false });
    const history = state.prependFromServer([8, 9, 10].map((seq) => receivedItem(message(seq))!), true);
    assert.strictEqual(history.type === 'messages' && history.hasOlder, true);
    assert.deepStrictEqual(state.snapshot('me').messages.map((item) => item.seq), [8, 9, 10, 11]);
    assert.strictEqual(state.olderPage(8, 50), undefined, 'nothing older in memory: ask the server');
    assert.deepStrictEqual(state.olderPage(10, 1), { type: 'messages', items: [receivedItem(message(9))], position: 'prepend', hasOlder: true });

    state.append({ id: 'ab', username: 'me', timestamp: 1, text: 'mine', own: true, status: 'pending' });
    assert.deepStrictEqual(state.setDelivery('ab', 'pending', undefined, 'rate limited'), { type: 'delivery', id: 'ab', status: 'pending', reason: 'rate limited' });
    state.setDelivery('ab', 'sent', 12);
    assert.deepStrictEqual(state.snapshot('me').messages.at(-1), { id: 'ab', username: 'me', timestamp: 1, text: 'mine', own: true, status: 'sent', seq: 12 });
  });

  it('bounds memory: the snapshot holds the latest 500 and the oldest beyond the archive are dropped', () => {
    const state = new PanelState(ADDRESS);
    for (let seq = 1; seq <= ARCHIVE_LIMIT + 10; seq++) state.append(receivedItem(message(seq))!);
    const snapshot = state.snapshot('me');
    assert.strictEqual(snapshot.messages.length, 500);
    assert.strictEqual(snapshot.messages[0].seq, ARCHIVE_LIMIT + 10 - 499);
    assert.strictEqual(snapshot.hasOlder, true);
    const page = state.olderPage(11, 50);
    assert.deepStrictEqual(page, { type: 'messages', items: [], position: 'prepend', hasOlder: false }, 'dropped messages are not offered again');
  });
});
