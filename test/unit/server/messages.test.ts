import * as assert from 'assert';
import * as fs from 'fs';
import { MAX_PLAINTEXT_BYTES } from '../../../src/crypto';
import { decodeBody } from '../../../src/protocol/body';
import { valueOrNull } from '../../../src/protocol/check';
import { RawClient } from '../../support/rawClient';
import { TEST_PASSWORD, startTestServer, tempDataDir } from '../../support/testServer';
import { useTestServer } from '../../support/useTestServer';

describe('server messages', () => {
  const served = useTestServer({ limits: { maxClockSkewMs: 60_000 } });
  const { roster } = served;
  const join = (name: string) => roster.join(name);

  it('acknowledges the sender and relays the envelope unchanged to the others', async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    const sealed = alice.seal('hello bob', 'alice');
    const ack = await alice.sendAndAck(sealed);
    assert.strictEqual(ack.seq, 1);
    const relayed = await bob.next('message');
    assert.strictEqual(relayed.seq, 1);
    assert.ok(relayed.envelope.equals(sealed.envelope));
    assert.strictEqual(valueOrNull(decodeBody(bob.open(relayed.envelope).plaintext))?.text, 'hello bob');
    assert.strictEqual(alice.inbox.some((frame) => frame.type === 'message'), false);
  });

  it('rejects a replayed envelope on the same and on a new connection and stores it once', async () => {
    const alice = await join('alice');
    const sealed = alice.seal('once');
    await alice.sendAndAck(sealed);
    alice.send({ type: 'send', envelope: sealed.envelope });
    assert.ok((await alice.error('replay')).id?.equals(sealed.messageId));
    const again = await join('alice');
    again.send({ type: 'send', envelope: sealed.envelope });
    assert.ok((await again.error('replay')).id?.equals(sealed.messageId));
    const page = await again.history({ limit: 200 });
    assert.deepStrictEqual(page.messages.map((m) => m.seq), [1]);
  });

  it('rejects a tampered envelope as bad-mac, naming it, and keeps the connection', async () => {
    const alice = await join('alice');
    const sealed = alice.seal('tamper with me');
    const tampered = Buffer.from(sealed.envelope);
    tampered[tampered.length - 40] ^= 1;
    alice.send({ type: 'send', envelope: tampered });
    assert.ok((await alice.error('bad-mac')).id?.equals(sealed.messageId));
    await alice.sendAndAck(sealed);
  });

  it('rejects a timestamp too far in the past or the future as stale', async () => {
    const alice = await join('alice');
    const old = alice.seal('from the past', 'alice', Date.now() - 10 * 60_000);
    alice.send({ type: 'send', envelope: old.envelope });
    assert.ok((await alice.error('stale')).id?.equals(old.messageId));
    const future = alice.seal('from the future', 'alice', Date.now() + 10 * 60_000);
    alice.send({ type: 'send', envelope: future.envelope });
    await alice.error('stale');
    assert.strictEqual((await alice.history({ limit: 10 })).messages.length, 0);
  });

  it('reports replay rather than stale for an old envelope that is already stored', async () => {
    const alice = await join('alice');
    const sealed = alice.seal('sent 30 s ago', 'alice', Date.now() - 30_000);
    await alice.sendAndAck(sealed);
    await alice.close();
    await served.stop();
    await served.start({ dataDir: served.server.dataDir, limits: { maxClockSkewMs: 10_000 } });
    const again = await join('alice');
    again.send({ type: 'send', envelope: sealed.envelope });
    await again.error('replay');
    const unsent = again.seal('never stored', 'alice', Date.now() - 30_000);
    again.send({ type: 'send', envelope: unsent.envelope });
    await again.error('stale');
  });

  it('pages history latest, before and after, the same across a restart', async () => {
    const alice = await join('alice');
    for (let i = 1; i <= 25; i++) await alice.sendAndAck(alice.seal(`message ${i}`));
    const check = async (client: RawClient) => {
      const seqs = async (query: { before?: number; after?: number; limit: number }) => {
        const page = await client.history(query);
        return { seqs: page.messages.map((m) => m.seq), hasMore: page.hasMore };
      };
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
      assert.deepStrictEqual(await seqs({ limit: 10 }), { seqs: range(16, 25), hasMore: true });
      assert.deepStrictEqual(await seqs({ before: 16, limit: 10 }), { seqs: range(6, 15), hasMore: true });
      assert.deepStrictEqual(await seqs({ before: 6, limit: 10 }), { seqs: range(1, 5), hasMore: false });
      assert.deepStrictEqual(await seqs({ after: 0, limit: 10 }), { seqs: range(1, 10), hasMore: true });
      assert.deepStrictEqual(await seqs({ after: 20, limit: 10 }), { seqs: range(21, 25), hasMore: false });
      assert.deepStrictEqual(await seqs({ after: 25, limit: 10 }), { seqs: [], hasMore: false });
      assert.deepStrictEqual(await seqs({ limit: 200 }), { seqs: range(1, 25), hasMore: false });
    };
    await check(alice);
    await alice.close();
    await served.stop();
    await served.start({ dataDir: served.server.dataDir });
    const again = await join('alice');
    await check(again);
    const next = await again.sendAndAck(again.seal('after restart'));
    assert.strictEqual(next.seq, 26);
  });

  it('cuts history pages to fit one frame and says more remain', async () => {
    const alice = await join('alice');
    const big = 'x'.repeat(MAX_PLAINTEXT_BYTES - 100);
    for (let i = 0; i < 4; i++) await alice.sendAndAck(alice.seal(big));
    const newest = await alice.history({ limit: 10 });
    assert.deepStrictEqual(newest.messages.map((m) => m.seq), [4]);
    assert.strictEqual(newest.hasMore, true);
    const older = await alice.history({ before: 4, limit: 10 });
    assert.deepStrictEqual([older.messages.map((m) => m.seq), older.hasMore], [[3], true]);
    const first = await alice.history({ after: 0, limit: 10 });
    assert.deepStrictEqual([first.messages.map((m) => m.seq), first.hasMore], [[1], true]);
    const last = await alice.history({ after: 3, limit: 10 });
    assert.deepStrictEqual([last.messages.map((m) => m.seq), last.hasMore], [[4], false]);
  });

  it('recovers acknowledged messages from the journal when no final snapshot was written', async () => {
    const alice = await join('alice');
    for (let i = 1; i <= 5; i++) await alice.sendAndAck(alice.seal(`m${i}`));
    // A copy of the directory taken while the server runs is what a crash would leave behind.
    const crashImage = tempDataDir();
    fs.cpSync(served.server.dataDir, crashImage, { recursive: true });
    const recovered = await startTestServer({ dataDir: crashImage });
    try {
      const { client } = await RawClient.join(recovered.address, TEST_PASSWORD, 'bob');
      assert.deepStrictEqual((await client.history({ limit: 10 })).messages.map((m) => m.seq), [1, 2, 3, 4, 5]);
      await client.close();
    } finally {
      await recovered.close();
    }
  });
});
