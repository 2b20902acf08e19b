import * as assert from 'assert';
import { ChatClient } from '../../../../src/client';
import type { ChatMessage, SealedOutboxEntry } from '../../../../src/client';
import { IdentityKey } from '../../../../src/crypto';
import type { PanelUpdate } from '../../../../src/protocol/panel';
import { ChatSession } from '../../../../src/host/rules/chatSession';
import { within } from '../../../support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, TestServer, startTestServer } from '../../../support/testServer';
import { ScriptedServer } from '../../client/scriptedServer';

/** Collects a session's panel updates and lets a test wait for one that matches. */
function recordUpdates(session: ChatSession): { all: PanelUpdate[]; next(match: (update: PanelUpdate) => boolean, what: string): Promise<PanelUpdate> } {
  const all: PanelUpdate[] = [];
  const waiters: { match: (update: PanelUpdate) => boolean; resolve: (update: PanelUpdate) => void }[] = [];
  session.on('update', (update) => {
    all.push(update);
    for (const waiter of waiters.filter((w) => w.match(update))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(update);
    }
  });
  return {
    all,
    next: (match, what) => {
      const seen = all.find(match);
      return seen ? Promise.resolve(seen) : within(new Promise((resolve) => waiters.push({ match, resolve })), 10_000, what);
    },
  };
}

describe('chat session', function () {
  this.timeout(30_000);
  let server: TestServer;
  const cleanup: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const dispose of cleanup.splice(0)) dispose();
    await server.close();
  });

  /** `identity` is the installation's key, which a restarted VS Code keeps (SecretStorage). */
  function session(username: string, identity = IdentityKey.generate()): ChatSession {
    const created = new ChatSession({ address: server.address, password: TEST_PASSWORD, username, minIterations: TEST_ITERATIONS, identity });
    cleanup.push(() => created.dispose());
    return created;
  }

  /** A session connected to the room, with its panel updates recorded from before it connected. */
  async function connectedSession(username: string, identity?: IdentityKey): Promise<{ session: ChatSession; updates: ReturnType<typeof recordUpdates> }> {
    const created = session(username, identity);
    const updates = recordUpdates(created);
    created.connect();
    await updates.next((u) => u.type === 'connection' && u.status === 'connected', `${username} connected`);
    return { session: created, updates };
  }

  /** Another member as a bare client (no panel), connected to the room. */
  async function connectedClient(username: string): Promise<ChatClient> {
    const client = new ChatClient({ address: server.address, password: TEST_PASSWORD, username, minIterations: TEST_ITERATIONS });
    cleanup.push(() => client.dispose());
    const connected = new Promise<void>((resolve) => client.on('state', (state) => state.status === 'connected' && resolve()));
    client.connect();
    await within(connected, 10_000, `${username} connected`);
    return client;
  }

  it('holds a message typed before the first connection and delivers it under the id the panel shows', async () => {
    const bob = await connectedClient('bob');
    const received = new Promise<string>((resolve) => bob.on('message', (message) => resolve(message.body.text)));

    const alice = session('alice');
    const updates = recordUpdates(alice);
    alice.send('typed early');
    const shown = await updates.next((u) => u.type === 'messages' && u.items[0]?.text === 'typed early', 'the pending item');
    assert.ok(shown.type === 'messages');
    const [item] = shown.items;
    assert.deepStrictEqual([item.own, item.status, item.seq], [true, 'pending', undefined]);

    alice.connect();
    await updates.next((u) => u.type === 'delivery' && u.id === item.id && u.status === 'sent', 'delivery under the panel id');
    assert.strictEqual(await within(received, 10_000, 'bob receives it'), 'typed early');
    assert.strictEqual(alice.snapshot().messages.find((m) => m.id === item.id)?.status, 'sent');
    await updates.next((u) => u.type === 'presence' && u.online.some((entry) => entry.name === 'bob'), 'presence');
  });

  it('tells the panel while a typed message waits unsealed, so that it can say the message lasts only as long as the window', async () => {
    const alice = session('alice');
    const updates = recordUpdates(alice);
    alice.send('typed before the key');
    const waiting = await updates.next((u) => u.type === 'connection', 'the connection marked');
    assert.deepStrictEqual(waiting, { type: 'connection', status: 'disconnected', address: server.address, actions: ['reconnect', 'connect'], noRoomKey: true });
    alice.connect();
    // Once the connection's keys seal it, the mark goes.
    const sealed = await updates.next((u) => u.type === 'connection' && u.status === 'connected' && u.noRoomKey === undefined, 'connected, unmarked');
    assert.deepStrictEqual(sealed, { type: 'connection', status: 'connected', address: server.address });
    alice.disconnect();
    // Sealed from now on: what is typed offline is kept across a restart, and the panel says nothing more.
    alice.send('typed offline');
    assert.strictEqual(alice.snapshot().connection.noRoomKey, undefined);
  });

  it('sends a reply with a quote of the message it answers, which the other member receives', async () => {
    const bob = await connectedClient('bob');
    const { session: alice, updates } = await connectedSession('alice');
    const parent = bob.send({ text: 'Is this the part\nthat waits before retrying?' });
    await updates.next((u) => u.type === 'messages' && u.items.some((item) => item.id === parent.id), 'bob\'s message shown');

    const received = new Promise<ChatMessage>((resolve) => bob.on('message', resolve));
    alice.send('Yes, with full jitter.', parent.id);
    const reply = await within(received, 10_000, 'bob receives the reply');
    assert.deepStrictEqual(reply.body, { text: 'Yes, with full jitter.', replyTo: { id: parent.id, name: 'bob', text: 'Is this the part that waits before retrying?' } });
    const shown = alice.snapshot().messages.at(-1);
    assert.deepStrictEqual(shown?.replyTo, { id: parent.id, username: 'bob', text: 'Is this the part that waits before retrying?' });
    assert.throws(() => alice.send('to nothing', 'ffffffffffffffffffffffffffffffff'), /^Error: The message you reply to is no longer loaded\.$/u);
  });

  it('tells the panel who is typing, and the room when the user types', async () => {
    const { session: alice, updates: aliceUpdates } = await connectedSession('alice');
    const { updates: bobUpdates } = await connectedSession('bob');
    await aliceUpdates.next((u) => u.type === 'presence' && u.joined === 'bob', 'bob joined');
    alice.typing();
    assert.deepStrictEqual(await bobUpdates.next((u) => u.type === 'typing', 'alice typing'), { type: 'typing', name: 'alice' });
  });

  it('sends a comment with its snippet as one message, and gives a shown message as plain text for Copy: its text as written, then its snippet\'s code', async () => {
    const alice = session('alice');
    const updates = recordUpdates(alice);
    const snippet = { code: 'const a = 1;\nconst b = 2;', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 4 };
    alice.send('Look at **this**:', undefined, snippet);
    alice.send('plain');
    const shown = await updates.next((u) => u.type === 'messages' && u.items.some((item) => item.text === 'plain'), 'both shown');
    const [withSnippet] = alice.snapshot().messages;
    assert.deepStrictEqual([withSnippet.text, withSnippet.snippet], ['Look at **this**:', snippet]);
    assert.ok(shown.type === 'messages');
    assert.deepStrictEqual(
      [alice.plainText(withSnippet.id), alice.plainText(shown.items[0].id), alice.plainText('ffff')],
      ['Look at **this**:\n\nconst a = 1;\nconst b = 2;', 'plain', undefined],
    );
  });

  it('gives Copy a message\'s current text: the latest edit by its own signer, nothing once deleted', async () => {
    const { session: alice, updates } = await connectedSession('alice');
    alice.send('first words');
    const sent = await updates.next((u) => u.type === 'delivery' && u.status === 'sent', 'stored');
    assert.ok(sent.type === 'delivery');
    alice.edit(sent.id, 'second words');
    assert.strictEqual(alice.plainText(sent.id), 'second words');
    alice.remove(sent.id);
    assert.strictEqual(alice.plainText(sent.id), undefined);
  });

  it('searches the whole history in the host: current texts, newest first, streamed under the search\'s id, nothing fed to the conversation', async () => {
    const { session: alice, updates: aliceUpdates } = await connectedSession('alice');
    for (const text of ['Crème brûlée at noon', 'lunch?', 'typo in the old words', 'creme BRULEE again', 'last one']) alice.send(text);
    await aliceUpdates.next((u) => u.type === 'delivery' && u.status === 'sent' && alice.snapshot().messages.every((m) => m.status === 'sent'), 'all five stored');
    const edited = alice.snapshot().messages[2];
    alice.edit(edited.id, 'fixed in the new words');
    await aliceUpdates.next((u) => u.type === 'delivery' && u.status === 'sent' && alice.snapshot().messages.every((m) => m.status === 'sent'), 'the edit stored');

    const bob = new ChatSession({ address: server.address, password: TEST_PASSWORD, username: 'bob', minIterations: TEST_ITERATIONS, historyPageSize: 2 });
    cleanup.push(() => bob.dispose());
    const bobUpdates = recordUpdates(bob);
    bob.connect();
    await bobUpdates.next((u) => u.type === 'messages' && u.position === 'prepend', 'bob\'s first page');
    const conversationUpdates = () => bobUpdates.all.filter((u) => u.type === 'messages').length;
    const before = conversationUpdates();

    const results = async (id: number, query: string) => {
      bob.search(id, query);
      await bobUpdates.next((u) => u.type === 'searchResults' && u.id === id && u.done, `search ${id} done`);
      return bobUpdates.all.flatMap((u) => (u.type === 'searchResults' && u.id === id ? u.results : []));
    };
    const found = await results(1, 'CREME brulee');
    assert.deepStrictEqual(found.map((r) => [r.text, r.match]), [
      ['creme BRULEE again', { field: 'text', start: 0, end: 12 }],
      ['Crème brûlée at noon', { field: 'text', start: 0, end: 12 }],
    ], 'beyond bob\'s first page of two, newest first, case and accents folded');
    assert.deepStrictEqual((await results(2, 'new words')).map((r) => [r.id, r.text]), [[edited.id, 'fixed in the new words']]);
    assert.deepStrictEqual(await results(3, 'old words'), [], 'not by the text before the edit');
    assert.strictEqual(conversationUpdates(), before, 'the walk fed nothing to the conversation');

    bob.search(4, 'noon');
    bob.cancelSearch();
    bob.disconnect();
    bob.search(5, 'noon');
    assert.deepStrictEqual(
      await bobUpdates.next((u) => u.type === 'searchResults' && u.id === 5, 'offline refusal'),
      { type: 'searchResults', id: 5, results: [], done: true, failed: 'Messages can be searched once connected.' },
    );
    assert.strictEqual(bobUpdates.all.some((u) => u.type === 'searchResults' && u.id === 4), false, 'a cancelled search says nothing');
  });

  it('shows the room history on connect and others joining and leaving', async () => {
    const { session: first, updates: firstUpdates } = await connectedSession('alice');
    first.send('before bob');
    await firstUpdates.next((u) => u.type === 'delivery' && u.status === 'sent', 'stored');

    const bob = session('bob');
    const bobUpdates = recordUpdates(bob);
    bob.connect();
    const history = await bobUpdates.next((u) => u.type === 'messages' && u.position === 'prepend', 'history');
    assert.ok(history.type === 'messages');
    assert.deepStrictEqual(history.items.map((i) => [i.username, i.text, i.own]), [['alice', 'before bob', false]]);
    await firstUpdates.next((u) => u.type === 'presence' && u.joined === 'bob', 'bob joined');
    bob.disconnect();
    await firstUpdates.next((u) => u.type === 'presence' && u.left === 'bob', 'bob left');
  });

  it('keeps messages typed offline across a restart, sealed only, and sends them in order after it', async () => {
    const bob = await connectedClient('bob');
    const atBob: string[] = [];
    const bobGotBoth = new Promise<void>((resolve) => bob.on('message', (message) => atBob.push(message.body.text) === 2 && resolve()));

    const identity = IdentityKey.generate();
    const { session: before } = await connectedSession('alice', identity);
    let kept: readonly SealedOutboxEntry[] = [];
    before.on('outbox', (entries) => (kept = entries));
    before.disconnect();
    before.send('typed offline, first');
    before.send('typed offline, second');
    assert.strictEqual(kept.length, 2, 'each message typed is kept as it is queued');
    for (const entry of kept) assert.strictEqual(entry.envelope.includes('typed offline'), false, 'sealed, never plaintext');
    const roomId = before.roomId;
    // VS Code closes before the chat is back.
    before.dispose();

    const after = new ChatSession({ address: server.address, password: TEST_PASSWORD, username: 'alice', minIterations: TEST_ITERATIONS, pinnedRoom: roomId, outbox: kept, identity });
    cleanup.push(() => after.dispose());
    const afterUpdates = recordUpdates(after);
    const emptied = new Promise<void>((resolve) => after.on('outbox', (entries) => entries.length === 0 && resolve()));
    after.connect();
    await within(bobGotBoth, 10_000, 'bob receives both');
    assert.deepStrictEqual(atBob, ['typed offline, first', 'typed offline, second']);
    await within(emptied, 10_000, 'nothing left to keep once both are stored');
    await afterUpdates.next((u) => u.type === 'delivery' && u.id === kept[1].localId && u.status === 'sent', 'the second reported sent');
    assert.deepStrictEqual(
      after.snapshot().messages.filter((m) => m.own).map((m) => [m.id, m.text, m.status]),
      [[kept[0].localId, 'typed offline, first', 'sent'], [kept[1].localId, 'typed offline, second', 'sent']],
      'shown once each, under the ids they had before the restart',
    );
  });

  it('refuses a message too large to seal while it could still be held, losing nothing already queued', () => {
    const alice = session('alice');
    assert.throws(() => alice.send('x'.repeat(40_000)), /at most 32768 bytes/);
    assert.deepStrictEqual(alice.snapshot().messages, []);
  });

  it('edits and deletes only the user\'s own stored messages: the server takes them; a pending one, or one the panel does not hold, is refused in the user\'s words', async () => {
    const { session: alice, updates } = await connectedSession('alice');
    alice.send('helo');
    const shown = await updates.next((u) => u.type === 'messages' && u.items[0]?.text === 'helo', 'the message');
    assert.ok(shown.type === 'messages');
    const { id } = shown.items[0];
    assert.throws(() => alice.edit(id, 'too early'), /^Error: Only your own messages can be edited or deleted, once they are sent\.$/u);
    await updates.next((u) => u.type === 'delivery' && u.id === id && u.status === 'sent' && u.reason === undefined, 'stored');
    await updates.next(() => alice.snapshot().messages.some((item) => item.id === id && item.seq !== undefined), 'its seq known');

    alice.edit(id, 'hello');
    const edit = await updates.next((u) => u.type === 'messages' && u.items[0]?.edit !== undefined, 'the edit');
    assert.ok(edit.type === 'messages');
    assert.deepStrictEqual([edit.items[0].text, edit.items[0].edit, edit.items[0].signer], ['hello', { to: id }, Buffer.from(alice.identityPublicKey()).toString('hex')]);
    await updates.next((u) => u.type === 'delivery' && u.id === edit.items[0].id && u.status === 'sent', 'the edit stored');
    alice.remove(id);
    const tombstone = await updates.next((u) => u.type === 'messages' && u.items[0]?.delete !== undefined, 'the tombstone');
    assert.ok(tombstone.type === 'messages');
    await updates.next((u) => u.type === 'delivery' && u.id === tombstone.items[0].id && u.status === 'sent', 'the tombstone stored');
    assert.throws(() => alice.remove('ff'.repeat(16)), /Only your own messages/u, 'a message the panel does not hold');
  });
});

describe('chat session: history sent again as a live frame', function () {
  this.timeout(30_000);

  it('is placed by its time among the messages shown and raises no message event (so no notification)', async () => {
    const server = await ScriptedServer.start();
    const created = new ChatSession({ address: server.url, password: TEST_PASSWORD, username: 'carol', minIterations: TEST_ITERATIONS, historyPageSize: 2 });
    try {
      const t0 = Date.now() - 3_600_000;
      // Sender clocks differ, so seq order is not time order: the first stored was stamped second.
      const skewed = server.store(server.sealAs('bob', 'stamped second', t0 + 1_000));
      server.store(server.sealAs('bob', 'stamped first', t0));
      server.store(server.sealAs('bob', 'stamped third', t0 + 2_000));
      const updates = recordUpdates(created);
      const news: ChatMessage[] = [];
      created.on('message', (message) => news.push(message));
      created.connect();
      await updates.next((u) => u.type === 'messages' && u.position === 'prepend', 'the latest page');
      // A machine in the middle sends the captured frame again, as it was.
      server.broadcast({ type: 'message', ...skewed });
      const placed = await updates.next((u) => u.type === 'messages' && u.items[0]?.text === 'stamped second', 'the replayed message');
      assert.ok(placed.type === 'messages');
      assert.deepStrictEqual([placed.position, placed.items[0].seq], ['byTime', undefined]);
      assert.deepStrictEqual(created.snapshot().messages.map((m) => m.text), ['stamped first', 'stamped second', 'stamped third']);
      assert.deepStrictEqual(news, []);
    } finally {
      created.dispose();
      await server.stop();
    }
  });
});
