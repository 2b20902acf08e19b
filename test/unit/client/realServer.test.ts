// The chat client against the real server (in-process, loopback, temporary store): the two halves
// written against one wire module must actually talk to each other.
import * as assert from 'assert';
import { ChatClient, ChatClientOptions, ChatMessage } from '../../../src/client';
import { TestServer, startTestServer } from '../../support/testServer';
import { cleanUp, connected, makeClient, next, stateIs, texts } from './helpers';

describe('client with the real server', () => {
  let server: TestServer | undefined;

  function client(username: string, options: Partial<ChatClientOptions> = {}): ChatClient {
    assert.ok(server);
    return makeClient({ url: server.address }, { username, ...options });
  }

  async function connect(made: ChatClient): Promise<ChatClient> {
    await connected(made);
    return made;
  }

  function messagesOf(made: ChatClient, count: number): Promise<ChatMessage[]> {
    const seen: ChatMessage[] = [];
    return new Promise((resolve) => made.on('message', (message) => {
      if (seen.push(message) === count) resolve(seen);
    }));
  }

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await cleanUp();
    await server?.close();
  });

  it('exchanges messages both ways, with usernames, acks and presence', async () => {
    const alice = await connect(client('alice'));
    const bobJoined = next(alice, 'presence', (names) => names.includes('bob'));
    const bob = await connect(client('bob'));
    assert.deepStrictEqual(await bobJoined, ['alice', 'bob']);

    const atBob = messagesOf(bob, 1);
    const acked = next(alice, 'delivery', (update) => update.status === 'sent');
    const sent = alice.send({ text: 'hello @bob' });
    const ack = await acked;
    assert.strictEqual(ack.id, sent.id);
    assert.strictEqual(ack.seq, 1);
    const [received] = await atBob;
    assert.strictEqual(received.username, 'alice');
    assert.strictEqual(received.body.text, 'hello @bob');
    assert.strictEqual(received.id, sent.id);
    assert.strictEqual(received.own, false);

    const atAlice = messagesOf(alice, 1);
    bob.send({ text: 'hi alice', snippet: { code: 'x()', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 3 } });
    const [reply] = await atAlice;
    assert.strictEqual(reply.username, 'bob');
    assert.deepStrictEqual(reply.body.snippet, { code: 'x()', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 3 });

    const bobLeft = next(alice, 'presence', (names) => !names.includes('bob'));
    bob.dispose();
    assert.deepStrictEqual(await bobLeft, ['alice']);
  });

  it('refuses a wrong password with auth-failed and does not retry', async () => {
    const intruder = client('mallory', { password: 'not the password' });
    const failed = next(intruder, 'state', stateIs('error'));
    intruder.connect();
    const state = await failed;
    assert.deepStrictEqual(state.status === 'error' && state.kind, 'auth-failed');
    assert.strictEqual(intruder.state.status, 'error');
  });

  it('delivers a message typed while the server restarts exactly once, and catches the other client up', async () => {
    assert.ok(server);
    const alice = await connect(client('alice'));
    const bob = await connect(client('bob'));
    const { dataDir, port } = server;

    const aliceReconnecting = next(alice, 'state', stateIs('reconnecting'));
    await server.close();
    await aliceReconnecting;
    const pending = alice.send({ text: 'typed while the server was down' });
    assert.strictEqual(pending.status, 'pending');

    const delivered = next(alice, 'delivery', (update) => update.id === pending.id && update.status === 'sent');
    const atBob = messagesOf(bob, 1);
    server = await startTestServer({ dataDir, port });
    await delivered;
    assert.deepStrictEqual(texts(await atBob), ['typed while the server was down']);

    const carol = client('carol');
    const history = next(carol, 'history');
    await connect(carol);
    const page = await history;
    assert.deepStrictEqual(texts(page.messages), ['typed while the server was down'], 'stored exactly once');
    assert.strictEqual(page.hasMore, false);
  });

  it('hands a member who was away from an empty room what was said meanwhile as new messages', async () => {
    const alice = await connect(client('alice'));
    const bob = await connect(client('bob'));
    bob.disconnect();
    const acked = next(alice, 'delivery', (update) => update.status === 'sent');
    alice.send({ text: 'said while bob was away' });
    await acked;
    const history: unknown[] = [];
    bob.on('history', (page) => history.push(page));
    const atBob = messagesOf(bob, 1);
    await connect(bob);
    assert.deepStrictEqual(texts(await atBob), ['said while bob was away']);
    assert.deepStrictEqual(history, [], 'a reconnect is not a first page of history');
  });
});
