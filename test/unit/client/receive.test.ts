import * as assert from 'assert';
import { ChatMessage, UNREADABLE_BODY } from '../../../src/client';
import { IdentityKey, createRoomParams, deriveRoomKeys, sealEpochMessage, sealMessage, sealSignedMessage } from '../../../src/crypto';
import { LAYOUT_V3 } from '../../../src/crypto/envelope';
import { hmacSha256 } from '../../../src/crypto/primitives';
import { encodeBody } from '../../../src/protocol/body';
import { RecordingLogger } from '../../support/recordingLogger';
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
    assert.deepStrictEqual({ ...message, id: '' }, {
      id: '', seq: 1, username: 'bob', timestamp, body: { text: 'hi alice' }, readable: true, signer: server.identityOf('bob').publicKey, own: false, news: true,
    });
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

  it('marks as own the messages signed by this client\'s identity key, never another key under its name nor unsigned history', async () => {
    const identity = IdentityKey.generate();
    const { server, client } = await connectedPair({ identity });
    assert.deepStrictEqual(client.identityPublicKey(), identity.publicKey);
    const shown = record(client, 'message');
    const last = next(client, 'message', (m) => m.body.text === 'from my other window');
    server.publish(server.sealAs('alice', 'another alice'));
    server.publish(server.sealUnsigned('alice', 'from before signatures'));
    server.publish(sealSignedMessage(server.keys, identity, { username: 'alice', plaintext: encodeBody({ text: 'from my other window' }), timestamp: Date.now() }).envelope);
    await last;
    assert.deepStrictEqual(shown.map((m) => [m.body.text, m.own, m.signer === null ? null : Buffer.from(m.signer).toString('hex')]), [
      ['another alice', false, server.identityOf('alice').publicKey.toString('hex')],
      ['from before signatures', false, null],
      ['from my other window', true, identity.publicKey.toString('hex')],
    ]);
  });

  it('drops a message whose signature fails though its MAC holds (a server passing it anyway), logging no content', async () => {
    const logger = new RecordingLogger();
    const { server, client } = await connectedPair({ logger });
    const tampered = (envelope: Buffer, change: (bytes: Buffer) => void) => {
      const bytes = Buffer.from(envelope);
      change(bytes);
      const macAt = bytes.length - 32;
      hmacSha256(server.keys.messageMac, bytes.subarray(0, macAt)).copy(bytes, macAt);
      return bytes;
    };
    const sealed = server.sealAs('bob', 'tampered words');
    const shown = next(client, 'message');
    // A flipped signature bit; then the signer's key swapped for another member's, the signature kept.
    server.publish(tampered(sealed, (bytes) => (bytes[bytes.length - 32 - 10] ^= 1)));
    server.publish(tampered(server.sealAs('bob', 'under carol\'s key'), (bytes) => server.identityOf('carol').publicKey.copy(bytes, LAYOUT_V3.signer)));
    server.publish(server.sealAs('bob', 'genuine'));
    assert.strictEqual((await shown).body.text, 'genuine');
    assert.strictEqual(client.droppedCount, 2);
    const dropped = logger.entries.filter((entry) => entry.event === 'message-failed-verification');
    assert.strictEqual(dropped.length, 2);
    assert.ok(!JSON.stringify(logger.entries).includes('tampered'), 'no content in the log');
  });
});
