// The chat client against the real server (in-process, loopback, temporary store): the two halves
// written against one wire module must actually talk to each other.
import * as assert from 'assert';
import { ChatClient, ChatClientOptions, ChatMessage } from '../../../src/client';
import { PASSWORD_CHANGED_MESSAGE } from '../../../src/client/handshake';
import { peekEpoch } from '../../../src/crypto';
import { RawClient } from '../../support/rawClient';
import { RecordingLogger } from '../../support/recordingLogger';
import { TEST_PASSWORD, TestServer, startTestServer } from '../../support/testServer';
import { cleanUp, connected, makeClient, next, record, stateIs, texts } from './helpers';

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
    const bobJoined = next(alice, 'presence', (members) => members.some((member) => member.name === 'bob'));
    const bob = await connect(client('bob'));
    assert.deepStrictEqual(await bobJoined, [{ key: alice.identityPublicKey(), name: 'alice' }, { key: bob.identityPublicKey(), name: 'bob' }]);

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
    assert.deepStrictEqual(received.signer, alice.identityPublicKey(), 'verified as signed by alice\'s key');

    const atAlice = messagesOf(alice, 1);
    bob.send({ text: 'hi alice', snippet: { code: 'x()', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 3 } });
    const [reply] = await atAlice;
    assert.strictEqual(reply.username, 'bob');
    assert.deepStrictEqual(reply.body.snippet, { code: 'x()', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 3 });

    const bobLeft = next(alice, 'presence', (members) => !members.some((member) => member.name === 'bob'));
    bob.dispose();
    assert.deepStrictEqual(await bobLeft, [{ key: alice.identityPublicKey(), name: 'alice' }]);
  });

  it('talks to a named room at its path, apart from the default room, and stops at a path that names no room', async () => {
    await server!.close();
    server = await startTestServer({ serverSecret: 'the operator secret' });
    await server.createRoom('team', 'team password');
    const alice = await connect(makeClient({ url: `${server.address}/team` }, { username: 'alice', password: 'team password' }));
    const bob = await connect(makeClient({ url: `${server.address}/team` }, { username: 'bob', password: 'team password' }));
    const carol = await connect(client('carol'));
    const carolSaw = record(carol, 'message');
    const atBob = messagesOf(bob, 1);
    alice.send({ text: 'in the team room' });
    assert.deepStrictEqual(texts(await atBob), ['in the team room']);
    assert.deepStrictEqual(carol.online.map((member) => member.name), ['carol']);
    assert.deepStrictEqual(carolSaw, []);

    const lost = makeClient({ url: `${server.address}/nowhere` }, { username: 'dave' });
    const failed = next(lost, 'state', stateIs('error'));
    lost.connect();
    assert.deepStrictEqual(await failed, { status: 'error', kind: 'incompatible', message: 'the server has no room at this address: check the room name after the port' });
  });

  it('stops with name-taken when another identity holds the name, and does not retry', async () => {
    await connect(client('alice'));
    const other = client('alice');
    const failed = next(other, 'state', stateIs('error'));
    other.connect();
    assert.deepStrictEqual(await failed, { status: 'error', kind: 'name-taken', message: 'another member already uses this name in the room: choose another name' });
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

  it('moves to a new key epoch while connected: no reconnect, new messages under it, both read each other', async () => {
    const logger = new RecordingLogger();
    const alice = await connect(client('alice', { logger }));
    const bob = await connect(client('bob'));
    const states = record(alice, 'state');
    await server!.rotate();
    assert.deepStrictEqual((await logger.next('epoch-received')).fields, { epoch: 2, current: true });
    const atBob = messagesOf(bob, 1);
    const sent = next(alice, 'delivery', (update) => update.status === 'sent');
    alice.send({ text: 'under the new key' });
    await sent;
    assert.deepStrictEqual(texts(await atBob), ['under the new key']);
    const { client: auditor } = await RawClient.join(server!.address, TEST_PASSWORD, 'auditor');
    const [stored] = (await auditor.history({ limit: 1 })).messages;
    assert.strictEqual(peekEpoch(stored.envelope), 2);
    await auditor.close();
    assert.deepStrictEqual(states, [], 'no reconnect');
  });

  it('stops with clear words when the room password changes, and gets in with the new one', async () => {
    const passwords = [TEST_PASSWORD, 'the new password'];
    const alice = client('alice', { password: () => passwords[0] });
    await connect(alice);
    const failed = next(alice, 'state', stateIs('error'));
    await server!.changePassword(passwords[1]);
    assert.deepStrictEqual(await failed, { status: 'error', kind: 'auth-failed', message: PASSWORD_CHANGED_MESSAGE });
    assert.strictEqual(PASSWORD_CHANGED_MESSAGE, 'the room password was changed: enter the new password');
    passwords.shift();
    await connect(alice);
    assert.deepStrictEqual(alice.online, [{ key: alice.identityPublicKey(), name: 'alice' }]);
  });

  it('refuses loudly a server at a pinned address presenting another room, sending it nothing', async () => {
    const alice = await connect(client('alice'));
    const pinned = alice.roomId!;
    assert.match(pinned, /^[0-9a-f]{32}$/);
    const { port } = server!;
    await server!.close();
    server = await startTestServer({ port });
    const impostor = client('alice', { pinnedRoom: pinned });
    const failed = next(impostor, 'state', stateIs('error'));
    impostor.connect();
    const state = await failed;
    assert.strictEqual(state.status === 'error' && state.kind, 'room-changed');
    assert.match(state.status === 'error' ? state.message : '', /presents another room .* than the one it served before .*Nothing was sent to it/);
    assert.strictEqual(server.logger.entries.some((entry) => entry.event === 'auth-failed'), false, 'no CPace share went out');
  });

  it('retries at once on "Retry now" after stopping on an error', async () => {
    const answers = ['wrong password', TEST_PASSWORD];
    const alice = client('alice', { password: () => answers.shift() ?? '' });
    const failed = next(alice, 'state', stateIs('error'));
    alice.connect();
    await failed;
    const back = next(alice, 'state', stateIs('connected'));
    alice.retryNow();
    await back;
  });
});
