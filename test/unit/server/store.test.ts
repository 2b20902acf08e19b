import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from '../../../src/server/errors';
import { IdentityKey, peekMessageId, readEnvelopeHeader } from '../../../src/crypto';
import { encodeRecord, listJournals, scanJournal } from '../../../src/server/journal';
import { decodeSegmentKeys, encodeSegmentKeys, keysFileName } from '../../../src/server/segmentKeys';
import { SegmentInfo, listSegments } from '../../../src/server/segments';
import { LEGACY_SNAPSHOT_FILE } from '../../../src/server/store';
import { writeLegacyStore } from '../../support/legacyStore';
import { RawClient } from '../../support/rawClient';
import { storedMessages } from '../../support/storedMessages';
import { TEST_PASSWORD, TestServer, startTestServer, tempDataDir } from '../../support/testServer';

const envelope = (fill: number) => Buffer.alloc(16 + 1 + 16 + 8 + 32 + 16 + 16 + 32, fill);

describe('journal records', () => {
  const records = [1, 2, 3].map((seq) => ({ seq, receivedAt: 1_700_000_000_000 + seq, envelope: envelope(seq) }));
  const bytes = Buffer.concat(records.map(encodeRecord));
  const recordBytes = bytes.length / 3;

  it('round-trips records', () => {
    assert.deepStrictEqual(scanJournal(bytes), { records, validBytes: bytes.length, damage: null });
  });

  it('reads a cut-off or zero-filled last record as torn', () => {
    for (const torn of [bytes.subarray(0, bytes.length - 5), bytes.subarray(0, 2 * recordBytes + 3), Buffer.concat([bytes.subarray(0, 2 * recordBytes), Buffer.alloc(recordBytes)])]) {
      const scan = scanJournal(torn);
      assert.strictEqual(scan.records.length, 2);
      assert.deepStrictEqual(scan.damage, { kind: 'torn', offset: 2 * recordBytes });
    }
    const flippedLast = Buffer.from(bytes);
    flippedLast[bytes.length - 1] ^= 1;
    assert.strictEqual(scanJournal(flippedLast).damage?.kind, 'torn');
  });

  it('reads a bad record followed by more data as corrupt', () => {
    const flipped = Buffer.from(bytes);
    flipped[recordBytes + 30] ^= 1;
    const scan = scanJournal(flipped);
    assert.strictEqual(scan.records.length, 1);
    assert.deepStrictEqual(scan.damage, { kind: 'corrupt', offset: recordBytes });
  });
});

describe('message store files', () => {
  it('creates its first journal file with the first message: an empty room holds only its room file and its member directory', async () => {
    const server = await startTestServer();
    try {
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
      assert.deepStrictEqual(fs.readdirSync(server.dataDir).sort(), ['members.json', 'room.json', 'server.lock']);
      await client.sendAndAck(client.seal('first'));
      assert.deepStrictEqual(fs.readdirSync(server.dataDir).sort(), ['journal-00000001.log', 'members.json', 'room.json', 'server.lock']);
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('message store damage at start', () => {
  let server: TestServer;

  /** A data directory as a crash would leave it: `count` acknowledged messages, only in the journal. */
  async function crashImage(count: number): Promise<string> {
    server = await startTestServer();
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    for (let i = 0; i < count; i++) await client.sendAndAck(client.seal(`m${i}`));
    const image = tempDataDir();
    fs.cpSync(server.dataDir, image, { recursive: true });
    await client.close();
    await server.close();
    return image;
  }

  /** The one reader, with its one key: the directory keeps its name bound to it across restarts. */
  const reader = IdentityKey.generate();

  async function storedSeqs(dataDir: string, limits = {}): Promise<number[]> {
    server = await startTestServer({ dataDir, limits });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'bob', reader);
    const seqs = (await client.history({ limit: 200 })).messages.map((m) => m.seq);
    await client.close();
    return seqs;
  }

  afterEach(async () => server.close());

  it('seals every N messages into segments that tile the seqs, with at most two journal files', async () => {
    server = await startTestServer({ limits: { segmentMessages: 5 } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    for (let i = 0; i < 23; i++) {
      await client.sendAndAck(client.seal(`m${i}`));
      assert.ok(listJournals(server.dataDir).length <= 2, 'sealed journal files are dropped');
    }
    // Seals run in the background: wait until the journal holds only what no segment does.
    // A journal can be sealed and removed between the listing and the read: it then holds nothing unsealed.
    const unsealed = () => listJournals(server.dataDir).flatMap((j) => {
      const bytes = readIfPresent(j.file);
      return bytes === null ? [] : scanJournal(bytes).records.map((r) => r.seq);
    });
    const caughtUp = () => (unsealed()[0] ?? 24) === (listSegments(server.dataDir).at(-1)?.lastSeq ?? 0) + 1 && unsealed().length < 5;
    await pollUntil(async () => caughtUp(), 'the seals to catch up');
    const segments = listSegments(server.dataDir);
    assert.strictEqual(segments[0].firstSeq, 1);
    for (const [i, segment] of segments.entries()) {
      assert.ok(segment.lastSeq - segment.firstSeq < 5, `${segment.name} holds at most 5 messages`);
      if (i > 0) assert.strictEqual(segment.firstSeq, segments[i - 1].lastSeq + 1);
    }
    assert.strictEqual(unsealed().at(-1) ?? segments.at(-1)!.lastSeq, 23);
    await client.close();
    await server.close();
    assert.deepStrictEqual(await storedSeqs(server.dataDir), Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it('skips journal records a segment already holds (a stop between a seal and its cleanup)', async () => {
    const image = await crashImage(3);
    const [journal] = listJournals(image);
    const bytes = fs.readFileSync(journal.file);
    server = await startTestServer({ dataDir: image, limits: { segmentMessages: 3 } });
    await server.logger.next('segment-sealed');
    await server.close();
    assert.strictEqual(fs.existsSync(journal.file), false);
    fs.writeFileSync(journal.file, bytes);
    assert.deepStrictEqual(await storedSeqs(image), [1, 2, 3]);
    assert.strictEqual(fs.existsSync(journal.file), false, 'the covered journal file is removed at start');
  });

  it('truncates a torn last record and keeps every complete one', async () => {
    const image = await crashImage(3);
    const [journal] = listJournals(image);
    const bytes = fs.readFileSync(journal.file);
    fs.appendFileSync(journal.file, bytes.subarray(0, 40));
    assert.deepStrictEqual(await storedSeqs(image), [1, 2, 3]);
    const truncated = await server.logger.next('journal-torn-record-truncated');
    assert.strictEqual(truncated.fields.bytes, 40);
  });

  it('moves a journal with a damaged record aside and keeps the records before it for good', async () => {
    const image = await crashImage(3);
    const [journal] = listJournals(image);
    const bytes = fs.readFileSync(journal.file);
    const first = 8 + bytes.readUInt32BE(0);
    bytes[first + 30] ^= 1;
    fs.writeFileSync(journal.file, bytes);
    assert.deepStrictEqual(await storedSeqs(image), [1]);
    const logged = await server.logger.next('journal-corrupt');
    assert.strictEqual(logged.fields.file, journal.file);
    const moved = String(logged.fields.movedTo);
    assert.match(path.basename(moved), /^journal-00000001\.log\.corrupt-/);
    assert.ok(fs.readFileSync(moved).equals(bytes), 'the damaged file is kept byte for byte');
    await server.close();
    assert.deepStrictEqual(await storedSeqs(image), [1], 'the kept record was written again before the start completed');
  });

  it('refuses to start on a corrupt snapshot of the earlier layout, moves it aside, and keeps refusing', async () => {
    server = await startTestServer();
    await server.close();
    const image = server.dataDir;
    const snapshot = path.join(image, LEGACY_SNAPSHOT_FILE);
    const garbage = Buffer.alloc(8192, 7);
    fs.writeFileSync(snapshot, garbage);
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) =>
      error.code === 'store-corrupt' && error.message.includes(snapshot) && /moved aside/.test(error.message));
    assert.strictEqual(fs.existsSync(snapshot), false);
    const aside = fs.readdirSync(image).filter((name) => name.startsWith(`${LEGACY_SNAPSHOT_FILE}.corrupt-`));
    assert.strictEqual(aside.length, 1);
    assert.ok(fs.readFileSync(path.join(image, aside[0])).equals(garbage));
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) => error.code === 'store-corrupt' && error.message.includes(aside[0]));
    // Moving the damaged copy out of the directory is the operator's explicit "start without it".
    fs.renameSync(path.join(image, aside[0]), path.join(tempDataDir(), aside[0]));
    assert.deepStrictEqual(await storedSeqs(image), []);
  });

  it('refuses journals that do not continue the store', async () => {
    const image = await crashImage(3);
    const [journal] = listJournals(image);
    const bytes = fs.readFileSync(journal.file);
    fs.writeFileSync(journal.file, bytes.subarray(8 + bytes.readUInt32BE(0)));
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) => error.code === 'store-corrupt' && /continues at seq 2/.test(error.message));
    server = await startTestServer();
  });

  it('refuses to start when a sealed segment is missing, naming where the gap is', async () => {
    server = await startTestServer({ limits: { segmentMessages: 2 } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    for (let i = 0; i < 6; i++) await client.sendAndAck(client.seal(`m${i}`));
    await pollUntil(async () => listSegments(server.dataDir).length >= 2, 'two segments');
    await client.close();
    await server.close();
    const [first, second] = listSegments(server.dataDir);
    fs.renameSync(path.join(server.dataDir, first.name), path.join(tempDataDir(), first.name));
    await assert.rejects(startTestServer({ dataDir: server.dataDir }), (error: StartError) =>
      error.code === 'store-corrupt' && error.message.includes(`${second.name} starts at seq 3, expected 1`));
    server = await startTestServer();
  });
});

function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Polls `condition` (a few ms apart) until it holds; bounded. */
async function pollUntil(condition: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sealed segments', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  async function sealedStore(count: number, limits = {}): Promise<{ client: RawClient; sent: Buffer[] }> {
    server = await startTestServer({ limits: { segmentMessages: 5, ...limits } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    const sent: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const sealed = client.seal(`m${i}`);
      await client.sendAndAck(sealed);
      sent.push(sealed.envelope);
    }
    await pollUntil(async () => (listSegments(server.dataDir).at(-1)?.lastSeq ?? 0) >= count - 4, 'the last full segment');
    return { client, sent };
  }

  it('pages through every segment, the oldest page included, with the same envelopes', async () => {
    const { client, sent } = await sealedStore(23);
    const seen: number[] = [];
    for (let before: number | undefined, more = true; more;) {
      const page = await client.history({ before, limit: 3 });
      for (const message of page.messages) assert.ok(message.envelope.equals(sent[message.seq - 1]), `seq ${message.seq} is the envelope sent`);
      seen.unshift(...page.messages.map((m) => m.seq));
      before = page.messages[0].seq;
      more = page.hasMore;
    }
    assert.deepStrictEqual(seen, Array.from({ length: 23 }, (_, i) => i + 1));
    const oldest = await client.history({ after: 0, limit: 7 });
    assert.deepStrictEqual([oldest.messages.map((m) => m.seq), oldest.hasMore], [[1, 2, 3, 4, 5, 6, 7], true]);
    // Every segment read again from the reader's cache, after all of them went through its one read buffer.
    const spanning = await client.history({ after: 3, limit: 200 });
    assert.deepStrictEqual(spanning.messages.map((m) => m.seq), Array.from({ length: 20 }, (_, i) => i + 4));
    for (const message of spanning.messages) assert.ok(message.envelope.equals(sent[message.seq - 1]), `seq ${message.seq} is still the envelope sent`);
    assert.strictEqual(spanning.hasMore, false);
    assert.deepStrictEqual((await storedMessages(client)).size, 23);
    await client.close();
  });

  /** Sends an envelope again and names the answer. */
  async function resend(client: RawClient, envelope: Buffer): Promise<string> {
    client.send({ type: 'send', envelope });
    const outcome = await client.outcome(peekMessageId(envelope)!);
    return outcome.type === 'error' ? outcome.code : 'ack';
  }

  it('refuses a replay of a sealed message, also after a restart', async () => {
    const { client, sent } = await sealedStore(12);
    assert.deepStrictEqual([await resend(client, sent[0]), await resend(client, sent[11])], ['replay', 'replay']);
    await client.close();
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir, limits: { segmentMessages: 5 } });
    // The same member (key and name) sends them again: another would be refused as the wrong signer first.
    const { client: again } = await RawClient.join(server.address, TEST_PASSWORD, 'alice', client.identity);
    assert.deepStrictEqual([await resend(again, sent[0]), await resend(again, sent[6]), await resend(again, sent[11])], ['replay', 'replay', 'replay']);
    await again.close();
  });

  it('answers replay for an old envelope only a segment holds, and stale for an old one never stored', async () => {
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    // A server accepting a wide skew stores envelopes two hours old...
    server = await startTestServer({ limits: { segmentMessages: 2, maxClockSkewMs: 3 * 3600_000 } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    const old = [0, 1, 2].map((i) => client.seal(`old ${i}`, 'alice', twoHoursAgo + i));
    for (const message of old) await client.sendAndAck(message);
    await pollUntil(async () => listSegments(server.dataDir).length === 1, 'the first segment');
    await client.close();
    await server.close();
    // ...then, with the default window, only the segment on disk knows the first two.
    server = await startTestServer({ dataDir: server.dataDir, limits: { segmentMessages: 2 } });
    const { client: again } = await RawClient.join(server.address, TEST_PASSWORD, 'alice', client.identity);
    const neverStored = again.seal('never stored', 'alice', twoHoursAgo);
    assert.deepStrictEqual(
      [await resend(again, old[0].envelope), await resend(again, old[2].envelope), await resend(again, neverStored.envelope)],
      ['replay', 'replay', 'stale'],
    );
    await again.close();
  });
});

describe('segment key files', () => {
  const segment: SegmentInfo = { firstSeq: 11, lastSeq: 13, minSentAt: 1, maxSentAt: 2, name: 'segment-000000000011-000000000013-000000000000001-000000000000002.sqlite' };
  const keys = { ids: Buffer.alloc(48, 0xa1), ivs: Buffer.alloc(48, 0xb2) };
  const bytes = encodeSegmentKeys(keys);

  it('round-trips the ids and IVs beside the segment of the same name', () => {
    assert.strictEqual(bytes.length, 12 + 96);
    assert.deepStrictEqual(decodeSegmentKeys(bytes, segment), { ids: keys.ids, ivs: keys.ivs });
    assert.strictEqual(keysFileName(segment), 'segment-000000000011-000000000013-000000000000001-000000000000002.keys');
  });

  it('reads as not intact: a cut-off or empty file, a flipped bit anywhere, more keys than the seq range holds', () => {
    for (const length of [0, 4, 11, 12, 60, bytes.length - 1]) assert.strictEqual(decodeSegmentKeys(bytes.subarray(0, length), segment), null, `${length} bytes`);
    for (const at of [0, 5, 9, 12, 70, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[at] ^= 1;
      assert.strictEqual(decodeSegmentKeys(flipped, segment), null, `bit flipped at ${at}`);
    }
    assert.strictEqual(decodeSegmentKeys(bytes, { ...segment, lastSeq: 12 }), null);
    assert.strictEqual(decodeSegmentKeys(Buffer.concat([bytes, Buffer.alloc(32)]), segment), null);
  });
});

describe('segment key files of a running store', () => {
  let server: TestServer;
  afterEach(async () => server.close());

  const keysOf = (envelopes: Buffer[]) => ({
    ids: Buffer.concat(envelopes.map((e) => readEnvelopeHeader(e)!.messageId)),
    ivs: Buffer.concat(envelopes.map((e) => readEnvelopeHeader(e)!.messageIv)),
  });

  it('writes each segment\'s keys beside it, and rebuilds a missing, torn or half-written one at start from the segment', async () => {
    server = await startTestServer({ limits: { segmentMessages: 5 } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    const sent: Buffer[] = [];
    for (let i = 0; i < 17; i++) {
      const sealed = client.seal(`m${i}`);
      await client.sendAndAck(sealed);
      sent.push(sealed.envelope);
    }
    // A seal takes every message committed by its start, so a slow one may cut a shorter segment: wait for seq 15 sealed.
    const sealedTo15 = () => (listSegments(server.dataDir).at(-1)?.lastSeq ?? 0) >= 15;
    await pollUntil(async () => sealedTo15() && listSegments(server.dataDir).every((s) => fs.existsSync(path.join(server.dataDir, keysFileName(s)))), 'seq 15 sealed, with key files');
    await client.close();
    await server.close();
    const dataDir = server.dataDir;
    const segments = listSegments(dataDir);
    const file = (s: SegmentInfo) => path.join(dataDir, keysFileName(s));
    const written = segments.map((s) => fs.readFileSync(file(s)));
    for (const [i, s] of segments.entries()) assert.deepStrictEqual(decodeSegmentKeys(written[i], s), keysOf(sent.slice(s.firstSeq - 1, s.lastSeq)), `${keysFileName(s)} holds its segment's ids and IVs`);
    // A crash before the first key file was written, one torn mid-write after its rename, one never renamed.
    fs.rmSync(file(segments[0]));
    fs.writeFileSync(file(segments[1]), written[1].subarray(0, 40));
    fs.renameSync(file(segments[2]), `${file(segments[2])}.tmp`);
    server = await startTestServer({ dataDir, limits: { segmentMessages: 5 } });
    assert.deepStrictEqual(
      server.logger.entries.filter((e) => e.event === 'segment-keys-rebuilt').map((e) => e.fields),
      segments.slice(0, 3).map((s) => ({ segment: s.name, messages: s.lastSeq - s.firstSeq + 1 })),
    );
    assert.deepStrictEqual(segments.map((s) => fs.readFileSync(file(s))), written);
    assert.deepStrictEqual(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp')), []);
    const { client: again } = await RawClient.join(server.address, TEST_PASSWORD, 'alice', client.identity);
    for (const envelope of [sent[0], sent[7], sent[12], sent[16]]) {
      again.send({ type: 'send', envelope });
      const outcome = await again.outcome(peekMessageId(envelope)!);
      assert.strictEqual(outcome.type === 'error' ? outcome.code : 'ack', 'replay');
    }
    await again.close();
    await server.close();
    server = await startTestServer({ dataDir, limits: { segmentMessages: 5 } });
    assert.deepStrictEqual(server.logger.entries.filter((e) => e.event === 'segment-keys-rebuilt'), [], 'the next start reads the key files written again');
  });
});

describe('migration of the earlier single-snapshot layout', () => {
  let server: TestServer;
  afterEach(async () => server?.close());

  const ranges = (dataDir: string) => listSegments(dataDir).map((s) => [s.firstSeq, s.lastSeq]);

  it('moves the snapshot into segments in place and keeps its journal: same seqs, same envelopes', async () => {
    const dataDir = tempDataDir();
    const written = await writeLegacyStore(dataDir, 23, 4);
    server = await startTestServer({ dataDir, limits: { segmentMessages: 5 } });
    assert.strictEqual((await server.logger.next('store-migrated')).fields.messages, 23);
    assert.strictEqual(fs.existsSync(path.join(dataDir, LEGACY_SNAPSHOT_FILE)), false);
    assert.deepStrictEqual(ranges(dataDir).slice(0, 5), [[1, 5], [6, 10], [11, 15], [16, 20], [21, 23]]);
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    assert.deepStrictEqual(await storedMessages(client), written);
    assert.strictEqual((await client.sendAndAck(client.seal('after the migration'))).seq, 28);
    await client.close();
  });

  it('resumes after the segments an interrupted migration wrote, ignoring a half-written one', async () => {
    const dataDir = tempDataDir();
    const written = await writeLegacyStore(dataDir, 23, 0);
    const finished = tempDataDir();
    fs.cpSync(dataDir, finished, { recursive: true });
    server = await startTestServer({ dataDir: finished, limits: { segmentMessages: 5 } });
    await server.close();
    const [first, second, third] = listSegments(finished);
    for (const segment of [first, second]) fs.copyFileSync(path.join(finished, segment.name), path.join(dataDir, segment.name));
    fs.writeFileSync(path.join(dataDir, `${third.name}.tmp`), fs.readFileSync(path.join(finished, third.name)).subarray(0, 1000));
    server = await startTestServer({ dataDir, limits: { segmentMessages: 5 } });
    assert.strictEqual((await server.logger.next('store-migration-started')).fields.afterSeq, 10);
    assert.strictEqual((await server.logger.next('store-migrated')).fields.written, 3);
    assert.deepStrictEqual(ranges(dataDir), [[1, 5], [6, 10], [11, 15], [16, 20], [21, 23]]);
    assert.deepStrictEqual(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp')), []);
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    assert.deepStrictEqual(await storedMessages(client), written);
    await client.close();
  });
});
