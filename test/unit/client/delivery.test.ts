import * as assert from 'assert';
import { ChatClient, DeliveryUpdate } from '../../../src/client';
import { decodeBody } from '../../../src/protocol/body';
import { valueOrNull } from '../../../src/protocol/check';
import { RecordingLogger } from '../../support/recordingLogger';
import { TestClock, cleanUp, connectedPair, next, record, stateIs, texts } from './helpers';
import { ScriptedServer } from './scriptedServer';

const FIVE_MINUTES = 5 * 60 * 1000;

/** The texts the server stored, in its order. */
function storedTexts(server: ScriptedServer): string[] {
  return server.stored.map((m) => valueOrNull(decodeBody(server.open(m.envelope).plaintext))?.text ?? '?');
}

function sent(client: ChatClient, count: number): Promise<DeliveryUpdate[]> {
  const updates: DeliveryUpdate[] = [];
  return new Promise((resolve) => client.on('delivery', (update) => {
    if (update.status === 'sent' && updates.push(update) === count) resolve(updates);
  }));
}

describe('client delivery', () => {
  afterEach(cleanUp);

  for (const echo of ['before-ack', 'after-ack', 'none'] as const) {
    it(`reports the seq once and never shows its own message as new (echo ${echo})`, async () => {
      const { server, client } = await connectedPair();
      server.echo = echo;
      const messages = record(client, 'message');
      const updates = record(client, 'delivery');
      const local = client.send({ text: 'hello' });
      assert.strictEqual(local.status, 'pending');
      assert.match(local.id, /^[0-9a-f]{32}$/);
      // Frames arrive in order: once bob's later message shows, the ack and any echo were handled.
      const marker = next(client, 'message');
      await next(client, 'delivery');
      server.publish(server.sealAs('bob', 'marker'));
      await marker;
      assert.deepStrictEqual(updates, [{ id: local.id, status: 'sent', seq: 1 }]);
      assert.deepStrictEqual(texts(messages), ['marker']);
      assert.deepStrictEqual(storedTexts(server), ['hello', 'marker']);
    });
  }

  it('delivers messages typed offline after the reconnect, in order, exactly once', async () => {
    const { server, client } = await connectedPair();
    await server.stop();
    await next(client, 'state', stateIs('reconnecting'));
    const ids = ['one', 'two', 'three'].map((text) => client.send({ text }).id);
    const delivered = sent(client, 3);
    await server.restart();
    const updates = await delivered;
    assert.deepStrictEqual(updates.map((u) => u.id), ids);
    assert.deepStrictEqual(updates.map((u) => u.seq), [1, 2, 3]);
    assert.deepStrictEqual(storedTexts(server), ['one', 'two', 'three']);
  });

  it('treats "replay" after a lost ack as delivered, without storing or showing it twice', async () => {
    const { server, client } = await connectedPair();
    const messages = record(client, 'message');
    const updates = record(client, 'delivery');
    server.outcome = () => 'store-and-drop';
    let replayed = false;
    server.on('send', () => {
      if (server.stored.length === 1) {
        replayed = true;
        server.outcome = () => 'store';
      }
    });
    const local = client.send({ text: 'once' });
    // The catch-up after the reconnect brings the stored copy, which tells the client its seq.
    const withSeq = next(client, 'delivery', (u) => u.seq !== undefined);
    assert.deepStrictEqual(await withSeq, { id: local.id, status: 'sent', seq: 1 });
    assert.ok(replayed);
    assert.deepStrictEqual(updates, [{ id: local.id, status: 'sent', seq: undefined }, { id: local.id, status: 'sent', seq: 1 }]);
    assert.deepStrictEqual(storedTexts(server), ['once']);
    assert.deepStrictEqual(messages, []);
  });

  it('re-seals a message that went stale in the outbox and delivers it under the same local id', async () => {
    const clock = new TestClock();
    const { server, client } = await connectedPair({ clock });
    await server.stop();
    await next(client, 'state', stateIs('reconnecting'));
    clock.offsetMs = -2 * FIVE_MINUTES; // Typed offline long ago, as far as the server can tell.
    const local = client.send({ text: 'late' });
    clock.offsetMs = 0;
    const delivered = next(client, 'delivery');
    await server.restart();
    assert.deepStrictEqual(await delivered, { id: local.id, status: 'sent', seq: 1 });
    assert.deepStrictEqual(storedTexts(server), ['late']);
    const stored = server.open(server.stored[0].envelope);
    assert.notStrictEqual(stored.messageId.toString('hex'), local.id, 're-sealed under a new message id');
    assert.ok(Math.abs(stored.timestamp - Date.now()) < FIVE_MINUTES);
  });

  it('gives up on a message after repeated "stale" answers (clock far off) and says why', async () => {
    const clock = new TestClock();
    const { server, client } = await connectedPair({ clock });
    clock.offsetMs = 2 * FIVE_MINUTES;
    const failed = next(client, 'delivery');
    const local = client.send({ text: 'never' });
    const update = await failed;
    assert.strictEqual(update.id, local.id);
    assert.strictEqual(update.status, 'failed');
    assert.match(update.reason ?? '', /clock/);
    assert.strictEqual(server.stored.length, 0);
  });

  it('retries a rate-limited message later, keeping the order of the rest', async () => {
    const { server, client } = await connectedPair();
    let refusals = 2;
    server.outcome = () => (refusals-- > 0 ? 'rate-limited' : 'store');
    const updates = record(client, 'delivery');
    const delivered = sent(client, 2);
    const first = client.send({ text: 'first' });
    const second = client.send({ text: 'second' });
    await delivered;
    assert.deepStrictEqual(storedTexts(server), ['first', 'second']);
    const waiting = updates.filter((u) => u.status === 'pending');
    assert.strictEqual(waiting.length, 2);
    assert.ok(waiting.every((u) => u.id === first.id && /the server asked to slow down; trying again/.test(u.reason ?? '')));
    assert.deepStrictEqual(updates.filter((u) => u.status === 'sent').map((u) => u.id), [first.id, second.id]);
  });

  it('keeps a message refused as "unavailable" (a cluster node without its Redis) waiting, and sends it once it is taken', async () => {
    const { server, client } = await connectedPair();
    let refusals = 2;
    server.outcome = () => (refusals-- > 0 ? 'unavailable' : 'store');
    const updates = record(client, 'delivery');
    const local = client.send({ text: 'during the outage' });
    assert.deepStrictEqual(await next(client, 'delivery', (u) => u.status === 'sent'), { id: local.id, status: 'sent', seq: 1 });
    const waiting = updates.filter((u) => u.status === 'pending');
    assert.strictEqual(waiting.length, 2);
    assert.ok(waiting.every((u) => u.id === local.id && /the server cannot reach its message store right now; trying again/.test(u.reason ?? '')));
    assert.deepStrictEqual(storedTexts(server), ['during the outage']);
  });

  it('keeps a message refused by a stopping server pending and delivers it after the restart', async () => {
    const { server, client } = await connectedPair();
    server.outcome = () => 'shutting-down';
    const updates = record(client, 'delivery');
    const local = client.send({ text: 'during shutdown' });
    await next(client, 'state', stateIs('reconnecting'));
    server.outcome = () => 'store';
    assert.deepStrictEqual(await next(client, 'delivery', (u) => u.status === 'sent'), { id: local.id, status: 'sent', seq: 1 });
    assert.deepStrictEqual(updates.map((u) => u.status), ['pending', 'sent']);
    assert.deepStrictEqual(storedTexts(server), ['during shutdown']);
  });

  it('bounds the outbox with a clear error', async () => {
    const { client } = await connectedPair({ outboxLimit: 2 });
    client.disconnect();
    client.send({ text: 'a' });
    client.send({ text: 'b' });
    assert.throws(() => client.send({ text: 'c' }), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'outbox-full' && /2 messages are already waiting/.test(e.message));
  });

  it('refuses a message larger than the envelope can hold', async () => {
    const { client } = await connectedPair();
    assert.throws(() => client.send({ text: 'x'.repeat(40_000) }), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'too-large');
  });

  it('never logs message text', async () => {
    const logger = new RecordingLogger();
    const { server, client } = await connectedPair({ logger });
    server.outcome = () => 'rate-limited';
    const waiting = next(client, 'delivery');
    client.send({ text: 'top secret plans' });
    await waiting;
    const shown = next(client, 'message');
    server.publish(server.sealAs('bob', 'more secret plans'));
    await shown;
    assert.ok(logger.lines.every((line) => !line.includes('secret')));
  });
});
