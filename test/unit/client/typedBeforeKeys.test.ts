// Messages the client accepts before it knows the room's keys, and messages of an earlier client
// that were stored before it closed: against the real server (in-process, loopback, temporary store).
import * as assert from 'assert';
import { ChatClient, ChatClientError, ChatClientOptions, DeliveryUpdate, SealedOutboxEntry } from '../../../src/client';
import { IdentityKey } from '../../../src/crypto';
import { TestServer, startTestServer } from '../../support/testServer';
import { cleanUp, connected, makeClient, next, record, stateIs, texts } from './helpers';

describe('client: what it holds before the room key is known, and across a restart', () => {
  let server: TestServer | undefined;

  function client(username: string, options: Partial<ChatClientOptions> = {}): ChatClient {
    assert.ok(server);
    return makeClient({ url: server.address }, { username, ...options });
  }

  /** What a member joining now finds in the room: the latest page, oldest first. */
  async function roomHistory(): Promise<string[]> {
    const carol = client('carol');
    const history = next(carol, 'history');
    await connected(carol);
    return texts((await history).messages);
  }

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await cleanUp();
    await server?.close();
  });

  describe('messages typed before the room key is known', () => {
    it('keeps one id per message from send() while connecting to the ack, in the order typed', async () => {
      const alice = client('alice');
      const deliveries = record(alice, 'delivery');
      const outboxes = record(alice, 'outbox');
      alice.connect();
      assert.strictEqual(alice.state.status, 'connecting');
      const first = alice.send({ text: 'typed while connecting, first' });
      const second = alice.send({ text: 'typed while connecting, second' });
      assert.match(first.id, /^[0-9a-f]{32}$/u);
      assert.notStrictEqual(first.id, second.id);
      assert.deepStrictEqual([first.status, first.username, first.body], ['pending', 'alice', { text: 'typed while connecting, first' }]);
      assert.deepStrictEqual(outboxes, [], 'not sealed yet, so nothing to keep');
      assert.deepStrictEqual(alice.sealedOutbox, []);

      const both = new Promise<void>((resolve) => alice.on('delivery', () => deliveries.length === 2 && resolve()));
      await both;
      assert.deepStrictEqual(deliveries, [
        { id: first.id, status: 'sent', seq: 1 },
        { id: second.id, status: 'sent', seq: 2 },
      ] satisfies DeliveryUpdate[]);
      // Sealed once the keys came, under the ids send() returned: what a caller keeps across a restart.
      const sealedOnConnect: readonly SealedOutboxEntry[] = outboxes[1] ?? [];
      assert.deepStrictEqual(sealedOnConnect.map((entry) => entry.localId), [first.id, second.id]);
      for (const entry of sealedOnConnect) assert.strictEqual(entry.envelope.includes('typed while connecting'), false, 'sealed, never plaintext');
      assert.deepStrictEqual(alice.sealedOutbox, []);
      assert.deepStrictEqual(await roomHistory(), ['typed while connecting, first', 'typed while connecting, second']);
    });

    it('sends what was typed before the keys ahead of what is typed once connected', async () => {
      const alice = client('alice');
      const deliveries = record(alice, 'delivery');
      const isConnected = next(alice, 'state', stateIs('connected'));
      alice.connect();
      const early = alice.send({ text: 'before the keys' });
      await isConnected;
      const later = alice.send({ text: 'after the keys' });
      const both = new Promise<void>((resolve) => alice.on('delivery', () => deliveries.length === 2 && resolve()));
      await both;
      assert.deepStrictEqual(deliveries, [{ id: early.id, status: 'sent', seq: 1 }, { id: later.id, status: 'sent', seq: 2 }]);
      assert.deepStrictEqual(await roomHistory(), ['before the keys', 'after the keys']);
    });

    it('counts messages waiting for the keys against the outbox limit, and checks their size when typed', () => {
      const alice = client('alice', { outboxLimit: 2 });
      alice.send({ text: 'a' });
      alice.send({ text: 'b' });
      assert.throws(() => alice.send({ text: 'c' }), (e: unknown) => e instanceof ChatClientError && e.code === 'outbox-full'
        && e.message === '2 messages are already waiting to be sent; wait for the connection to come back');
      assert.throws(() => client('bob').send({ text: 'x'.repeat(40_000) }), (e: unknown) => e instanceof ChatClientError && e.code === 'too-large');
    });
  });

  describe('a message stored before a restart, still in the kept outbox', () => {
    it('is not sent as new after the restart: the server answers replay, it ends sent, and the room holds it once', async () => {
      assert.ok(server);
      const url = server.address;
      const identity = IdentityKey.generate();
      const before = makeClient({ url }, { username: 'alice', identity });
      let kept: readonly SealedOutboxEntry[] = [];
      // The copy the extension saves as the message is queued; VS Code closes before the save after the ack.
      before.on('outbox', (entries) => (kept = entries.length > 0 ? entries : kept));
      await connected(before);
      const acked = next(before, 'delivery', (update) => update.status === 'sent');
      const sent = before.send({ text: 'acknowledged before the restart' });
      assert.deepStrictEqual(await acked, { id: sent.id, status: 'sent', seq: 1 });
      assert.deepStrictEqual(kept.map((entry) => entry.localId), [sent.id]);
      const roomId = before.roomId;
      before.dispose();

      const after = makeClient({ url }, { username: 'alice', identity, pinnedRoom: roomId, outbox: kept });
      const deliveries = record(after, 'delivery');
      const reloaded = next(after, 'reloaded');
      const page = next(after, 'history');
      const seqKnown = next(after, 'delivery', (update) => update.seq !== undefined);
      after.connect();
      assert.strictEqual((await reloaded).id, sent.id);
      assert.deepStrictEqual((await page).messages, [], 'the latest page holds it as ours, not as someone else\'s message');
      await seqKnown;
      // First settled by the server's "replay" answer (no seq), then its seq from the latest page.
      assert.deepStrictEqual(deliveries, [{ id: sent.id, status: 'sent', seq: undefined }, { id: sent.id, status: 'sent', seq: 1 }]);
      assert.deepStrictEqual(after.sealedOutbox, []);

      const carol = makeClient({ url }, { username: 'carol' });
      const history = next(carol, 'history');
      await connected(carol);
      assert.deepStrictEqual(texts((await history).messages), ['acknowledged before the restart'], 'stored once');
  });
});
});
