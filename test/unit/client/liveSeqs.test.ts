import * as assert from 'assert';
import type { ChatMessage } from '../../../src/client';
import { LIVE_FRESHNESS_MS, LiveSeqs, stampedRecently } from '../../../src/client/liveSeqs';
import { caughtUpAfterAbsence, cleanUp, connected, connectedPair, makeClient, next, record, startServer } from './helpers';

describe('live seqs', () => {
  afterEach(cleanUp);

  it('counts a seq only above the welcome\'s latestSeq (live) and up to one per frame received', () => {
    const seqs = new LiveSeqs(10);
    seqs.arrived();
    assert.deepStrictEqual([10, 11, 12].map((seq) => seqs.live(seq)), ['history', 'counted', 'unvouched']);
    assert.deepStrictEqual([0, 1, 11, 12].map((seq) => seqs.stored(seq)), ['unvouched', 'counted', 'counted', 'unvouched']);
    seqs.arrived();
    assert.deepStrictEqual([seqs.live(12), seqs.ceiling], ['counted', 12]);
    const now = 1_800_000_000_000;
    assert.deepStrictEqual([stampedRecently(now - LIVE_FRESHNESS_MS, now), stampedRecently(now - LIVE_FRESHNESS_MS - 1, now)], [true, false]);
  });

  it('shows a verified live message with a seq far beyond the welcome\'s latestSeq without taking its seq: catch-up still asks from the last real seq', async () => {
    const { server, client } = await connectedPair();
    const shown = record(client, 'message');
    // A real envelope of the room under a seq no server gave it: seqs are outside the MAC.
    server.broadcast({ type: 'message', seq: Number.MAX_SAFE_INTEGER, envelope: server.sealAs('bob', 'real words, forged seq') });
    const before = next(client, 'message');
    server.publish(server.sealAs('bob', 'before'));
    await before;
    assert.strictEqual((await caughtUpAfterAbsence(server, client, 'while away')).seq, 2);
    assert.deepStrictEqual(shown.map((m) => [m.body.text, m.seq]), [['real words, forged seq', undefined], ['before', 1], ['while away', 2]]);
  });

  it('keeps showing and sending across a genuine gap in the numbering, and catches up past it on the next connection', async () => {
    const { server, client } = await connectedPair();
    server.echo = 'none';
    // Seq 1 was burnt (a commit the disk refused): the first live frame carries seq 2.
    const afterGap = { seq: 2, envelope: server.sealAs('bob', 'after the gap') };
    server.stored.push(afterGap);
    const shown = next(client, 'message');
    server.broadcast({ type: 'message', ...afterGap });
    assert.deepStrictEqual([(await shown).seq, (await shown).news], [undefined, true]);
    const sent = next(client, 'delivery', (d) => d.status === 'sent');
    const mine = client.send({ text: 'mine' });
    assert.deepStrictEqual(await sent, { id: mine.id, status: 'sent', seq: undefined });
    const numbered = next(client, 'delivery', (d) => d.seq !== undefined);
    assert.strictEqual((await caughtUpAfterAbsence(server, client, 'while away')).seq, 4);
    assert.deepStrictEqual(await numbered, { id: mine.id, status: 'sent', seq: 3 });
    assert.deepStrictEqual(server.stored.map((m) => m.seq), [2, 3, 4], 'nothing sent twice');
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
