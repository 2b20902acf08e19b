import * as assert from 'assert';
import { ChatMessage, UNREADABLE_BODY } from '../../../src/client';
import { createRoomParams, deriveRoomKeys, sealEpochMessage, sealMessage } from '../../../src/crypto';
import { cleanUp, connected, connectedPair, makeClient, next, record, startServer, stateIs, texts } from './helpers';
import { TEST_ITERATIONS, TEST_PASSWORD } from './scriptedServer';

describe('client receiving', () => {
  afterEach(cleanUp);

  it('shows live messages from others, decrypted, with their seq', async () => {
    const { server, client } = await connectedPair();
    const shown = next(client, 'message');
    const timestamp = Date.now() - 1000;
    server.publish(server.sealAs('bob', 'hi alice', timestamp));
    const message = await shown;
    assert.match(message.id, /^[0-9a-f]{32}$/);
    assert.deepStrictEqual({ ...message, id: '' }, { id: '', seq: 1, username: 'bob', timestamp, body: { text: 'hi alice' }, readable: true, own: false, news: true });
  });

  it('loads the latest page on first connect and older pages on request', async () => {
    const server = await startServer();
    for (let i = 1; i <= 120; i += 1) server.store(server.sealAs('bob', `m${i}`));
    const client = makeClient(server);
    const first = next(client, 'history');
    await connected(client);
    const latest = await first;
    assert.deepStrictEqual(latest.messages.map((m) => m.seq), Array.from({ length: 50 }, (_, i) => 71 + i));
    assert.strictEqual(latest.hasMore, true);
    const emitted = record(client, 'history');
    const second = await client.loadOlder();
    assert.deepStrictEqual([second.messages[0].seq, second.messages.at(-1)?.seq, second.hasMore], [21, 70, true]);
    const third = await client.loadOlder();
    assert.deepStrictEqual([texts(third.messages)[0], third.messages.length, third.hasMore], ['m1', 20, false]);
    assert.deepStrictEqual(await client.loadOlder(), { messages: [], hasMore: false });
    assert.deepStrictEqual(emitted, [second, third]);
  });

  it('asks again for a history page the server refused as rate-limited without naming it', async () => {
    const server = await startServer();
    for (const text of ['a', 'b']) server.store(server.sealAs('bob', text));
    server.refuseHistory = 2;
    const client = makeClient(server);
    const first = next(client, 'history');
    client.connect();
    assert.deepStrictEqual(texts((await first).messages), ['a', 'b']);
    assert.strictEqual(server.refuseHistory, 0);
  });

  it('shows each message once across history, duplicate broadcasts and catch-up', async () => {
    const server = await startServer();
    for (const text of ['a', 'b', 'c']) server.store(server.sealAs('bob', text));
    const client = makeClient(server);
    const shown: ChatMessage[] = [];
    client.on('history', (page) => shown.push(...page.messages));
    client.on('message', (message) => shown.push(message));
    const first = next(client, 'history');
    await connected(client);
    await first;

    // Old messages broadcast again, then a new one broadcast twice.
    for (const old of server.stored) server.broadcast({ type: 'message', ...old });
    const d = server.publish(server.sealAs('bob', 'd'));
    server.broadcast({ type: 'message', ...d });
    const marker = next(client, 'message', (m) => m.body.text === 'marker');
    server.publish(server.sealAs('bob', 'marker'));
    await marker;

    // Offline while "e" is stored; the server then answers the catch-up with its whole log.
    server.sloppyHistory = true;
    await server.stop();
    await next(client, 'state', stateIs('reconnecting'));
    server.store(server.sealAs('bob', 'e'));
    const caughtUp = next(client, 'message', (m) => m.body.text === 'e');
    await server.restart();
    await caughtUp;

    assert.deepStrictEqual(texts(shown), ['a', 'b', 'c', 'd', 'marker', 'e']);
    assert.deepStrictEqual(shown.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
  });

  it('catches up on everything stored while offline, across several pages', async () => {
    const { server, client } = await connectedPair();
    const live = next(client, 'message');
    server.publish(server.sealAs('bob', 'before'));
    await live;
    await server.stop();
    await next(client, 'state', stateIs('reconnecting'));
    for (let i = 1; i <= 450; i += 1) server.store(server.sealAs('bob', `offline ${i}`));
    const seqs: number[] = [];
    const done = new Promise<void>((resolve) => client.on('message', (m) => {
      if (seqs.push(m.seq ?? 0) === 450) resolve();
    }));
    await server.restart();
    await done;
    assert.deepStrictEqual(seqs, Array.from({ length: 450 }, (_, i) => i + 2));
  });

  it('drops an envelope that fails verification, without showing or logging its content', async () => {
    const { server, client } = await connectedPair();
    const otherKeys = await deriveRoomKeys(TEST_PASSWORD, createRoomParams(TEST_ITERATIONS));
    const shown = next(client, 'message');
    server.publish(sealMessage(otherKeys, { username: 'mallory', plaintext: Buffer.from('{"text":"forged"}'), timestamp: Date.now() }).envelope);
    server.publish(server.sealAs('bob', 'genuine'));
    assert.strictEqual((await shown).body.text, 'genuine');
    assert.strictEqual(client.droppedCount, 1);
  });

  it('records the seq only of an envelope that verifies: a forged frame with seq 2^53-1 does not silence catch-up', async () => {
    const { server, client } = await connectedPair();
    const otherKeys = await deriveRoomKeys(TEST_PASSWORD, createRoomParams(TEST_ITERATIONS));
    const forged = sealMessage(otherKeys, { username: 'mallory', plaintext: Buffer.from('{"text":"forged"}'), timestamp: Date.now() }).envelope;
    const first = next(client, 'message');
    server.broadcast({ type: 'message', seq: Number.MAX_SAFE_INTEGER, envelope: forged });
    server.publish(server.sealAs('bob', 'before'));
    await first;
    await server.stop();
    await next(client, 'state', stateIs('reconnecting'));
    server.store(server.sealAs('bob', 'while away'));
    const caughtUp = next(client, 'message');
    await server.restart();
    const message = await caughtUp;
    assert.strictEqual(message.body.text, 'while away');
    assert.strictEqual(message.seq, 2);
    assert.strictEqual(client.droppedCount, 1);
  });

  it('shows a malformed body as a marked placeholder', async () => {
    const { server, client } = await connectedPair();
    const shown = next(client, 'message');
    server.publish(sealEpochMessage(server.keys, { username: 'bob', plaintext: Buffer.from('not json'), timestamp: Date.now() }).envelope);
    const message = await shown;
    assert.strictEqual(message.readable, false);
    assert.deepStrictEqual(message.body, UNREADABLE_BODY);
    assert.strictEqual(message.username, 'bob');
  });

  it('marks messages carrying this client\'s username as own', async () => {
    const { server, client } = await connectedPair();
    const shown = next(client, 'message');
    server.publish(server.sealAs('alice', 'from my other window'));
    assert.strictEqual((await shown).own, true);
  });
});
