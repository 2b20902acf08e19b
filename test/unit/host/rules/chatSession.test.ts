import * as assert from 'assert';
import { ChatClient } from '../../../../src/client';
import type { PanelUpdate } from '../../../../src/protocol/panel';
import { ChatSession } from '../../../../src/host/rules/chatSession';
import { within } from '../../../support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, TestServer, startTestServer } from '../../../support/testServer';

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

  function session(username: string): ChatSession {
    const created = new ChatSession({ address: server.address, password: TEST_PASSWORD, username, minIterations: TEST_ITERATIONS });
    cleanup.push(() => created.dispose());
    return created;
  }

  it('holds a message typed before the first connection and delivers it under the id the panel shows', async () => {
    const bob = new ChatClient({ address: server.address, password: TEST_PASSWORD, username: 'bob', minIterations: TEST_ITERATIONS });
    cleanup.push(() => bob.dispose());
    const received = new Promise<string>((resolve) => bob.on('message', (message) => resolve(message.body.text)));
    const bobConnected = new Promise<void>((resolve) => bob.on('state', (state) => state.status === 'connected' && resolve()));
    bob.connect();
    await within(bobConnected, 10_000, 'bob connected');

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
    await updates.next((u) => u.type === 'presence' && u.online.includes('bob'), 'presence');
  });

  it('shows the room history on connect and others joining and leaving', async () => {
    const first = session('alice');
    const firstUpdates = recordUpdates(first);
    first.connect();
    await firstUpdates.next((u) => u.type === 'connection' && u.status === 'connected', 'alice connected');
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

  it('refuses a message too large to seal while it could still be held, losing nothing already queued', () => {
    const alice = session('alice');
    assert.throws(() => alice.send('x'.repeat(40_000)), /at most 32768 bytes/);
    assert.deepStrictEqual(alice.snapshot().messages, []);
  });
});
