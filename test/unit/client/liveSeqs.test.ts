import * as assert from 'assert';
import type { ChatMessage } from '../../../src/client';
import { LIVE_FRESHNESS_MS, LiveSeqs } from '../../../src/client/liveSeqs';
import { caughtUpAfterAbsence, cleanUp, connected, connectedPair, makeClient, next, record, startServer, texts } from './helpers';

describe('live seqs', () => {
  afterEach(cleanUp);

  it('counts a frame as news only above the welcome\'s latestSeq and within one per frame received', () => {
    const seqs = new LiveSeqs(10);
    const now = 1_800_000_000_000;
    seqs.arrived();
    assert.deepStrictEqual([seqs.message(10, now, now), seqs.message(12, now, now), seqs.message(11, now - LIVE_FRESHNESS_MS - 1, now), seqs.message(11, now, now)], ['history', 'implausible', 'history', 'news']);
    assert.deepStrictEqual([seqs.ack(12), seqs.holds(11), seqs.holds(12), seqs.holds(0)], [false, true, false, false]);
    seqs.arrived();
    assert.deepStrictEqual([seqs.ack(12), seqs.ceiling], [true, 12]);
  });

  it('ignores a verified live message with a seq far beyond the welcome\'s latestSeq: catch-up still asks from the last real seq', async () => {
    const { server, client } = await connectedPair();
    const shown = record(client, 'message');
    // A real envelope of the room under a seq no server gave it: seqs are outside the MAC.
    server.broadcast({ type: 'message', seq: Number.MAX_SAFE_INTEGER, envelope: server.sealAs('bob', 'real words, forged seq') });
    const before = next(client, 'message');
    server.publish(server.sealAs('bob', 'before'));
    await before;
    assert.strictEqual((await caughtUpAfterAbsence(server, client, 'while away')).seq, 2);
    assert.deepStrictEqual(texts(shown), ['before', 'while away']);
  });

  it('keeps "load older" working when a real old envelope arrives live claiming seq 1', async () => {
    const server = await startServer();
    for (let i = 1; i <= 120; i += 1) server.store(server.sealAs('bob', `m${i}`, Date.now() - 3_600_000 + i));
    const client = makeClient(server);
    const latest = next(client, 'history');
    await connected(client);
    await latest;
    const replayed = next(client, 'message');
    server.broadcast({ type: 'message', ...server.stored[0] });
    const message = await replayed;
    assert.deepStrictEqual([message.body.text, message.seq, message.news], ['m1', undefined, false]);
    const older = await client.loadOlder();
    assert.deepStrictEqual([older.messages[0].seq, older.messages.at(-1)?.seq, older.hasMore], [21, 70, true]);
  });

  it('treats a captured envelope replayed into a new session as history: at or below latestSeq, or stamped long ago', async () => {
    const server = await startServer();
    const first = makeClient(server);
    await connected(first);
    const heard = next(first, 'message');
    const captured = server.publish(server.sealAs('bob', 'said once'));
    assert.deepStrictEqual([(await heard).news, (await heard).seq], [true, 1]);
    first.dispose();

    // A new session, and a machine in the middle that sends the captured frame again, as it was.
    const client = makeClient(server, { username: 'carol' });
    await connected(client);
    const shown: ChatMessage[] = record(client, 'message');
    const again = next(client, 'message');
    server.broadcast({ type: 'message', ...captured });
    // Sent once more under the next seq: plausible, but stamped long before now.
    const old = server.sealAs('bob', 'said an hour ago', Date.now() - 3_600_000);
    server.broadcast({ type: 'message', seq: 2, envelope: old });
    const fresh = next(client, 'message', (m) => m.body.text === 'news');
    server.publish(server.sealAs('bob', 'news'));
    await again;
    await fresh;
    assert.deepStrictEqual(shown.map((m) => [m.body.text, m.seq, m.news]), [['said once', undefined, false], ['said an hour ago', undefined, false], ['news', 2, true]]);
  });
});
