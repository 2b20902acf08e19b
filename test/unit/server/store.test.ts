import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from '../../../src/server/errors';
import { encodeRecord, listSegments, scanJournal } from '../../../src/server/journal';
import { SNAPSHOT_FILE } from '../../../src/server/store';
import { RawClient } from '../../support/rawClient';
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

  async function storedSeqs(dataDir: string): Promise<number[]> {
    server = await startTestServer({ dataDir });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'bob');
    const seqs = (await client.history({ limit: 200 })).messages.map((m) => m.seq);
    await client.close();
    return seqs;
  }

  afterEach(async () => server.close());

  it('snapshots every N messages and keeps at most two journal segments', async () => {
    server = await startTestServer({ limits: { snapshotEveryMessages: 5 } });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    for (let i = 0; i < 23; i++) {
      await client.sendAndAck(client.seal(`m${i}`));
      assert.ok(listSegments(server.dataDir).length <= 2, 'covered segments are dropped');
    }
    await client.close();
    await server.close();
    assert.ok(server.logger.entries.filter((e) => e.event === 'snapshot-written').length >= 3);
    assert.deepStrictEqual(listSegments(server.dataDir), [], 'the final snapshot covers the whole journal');
    assert.deepStrictEqual(await storedSeqs(server.dataDir), Array.from({ length: 23 }, (_, i) => i + 1));
  });

  it('skips journal records a snapshot already holds (crash before the segment was dropped)', async () => {
    const image = await crashImage(3);
    const [segment] = listSegments(image);
    const journal = fs.readFileSync(segment.file);
    assert.deepStrictEqual(await storedSeqs(image), [1, 2, 3]);
    await server.close();
    fs.writeFileSync(segment.file, journal);
    assert.deepStrictEqual(await storedSeqs(image), [1, 2, 3]);
  });

  it('truncates a torn last record and keeps every complete one', async () => {
    const image = await crashImage(3);
    const [segment] = listSegments(image);
    const bytes = fs.readFileSync(segment.file);
    fs.appendFileSync(segment.file, bytes.subarray(0, 40));
    assert.deepStrictEqual(await storedSeqs(image), [1, 2, 3]);
    const truncated = await server.logger.next('journal-torn-record-truncated');
    assert.strictEqual(truncated.fields.bytes, 40);
  });

  it('moves a journal with a damaged record aside and starts from the records before it', async () => {
    const image = await crashImage(3);
    const [segment] = listSegments(image);
    const bytes = fs.readFileSync(segment.file);
    const first = 8 + bytes.readUInt32BE(0);
    bytes[first + 30] ^= 1;
    fs.writeFileSync(segment.file, bytes);
    assert.deepStrictEqual(await storedSeqs(image), [1]);
    const logged = await server.logger.next('journal-corrupt');
    assert.strictEqual(logged.fields.file, segment.file);
    const moved = String(logged.fields.movedTo);
    assert.match(path.basename(moved), /^journal-00000001\.log\.corrupt-/);
    assert.ok(fs.readFileSync(moved).equals(bytes), 'the damaged file is kept byte for byte');
  });

  it('refuses to start on a corrupt snapshot, moves it aside, and keeps refusing', async () => {
    const image = await crashImage(2);
    server = await startTestServer({ dataDir: image });
    await server.close();
    const snapshot = path.join(image, SNAPSHOT_FILE);
    const garbage = Buffer.alloc(8192, 7);
    fs.writeFileSync(snapshot, garbage);
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) =>
      error.code === 'store-corrupt' && error.message.includes(snapshot) && /moved aside/.test(error.message));
    assert.strictEqual(fs.existsSync(snapshot), false);
    const aside = fs.readdirSync(image).filter((name) => name.startsWith(`${SNAPSHOT_FILE}.corrupt-`));
    assert.strictEqual(aside.length, 1);
    assert.ok(fs.readFileSync(path.join(image, aside[0])).equals(garbage));
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) => error.code === 'store-corrupt' && error.message.includes(aside[0]));
    // Moving the damaged copy out of the directory is the operator's explicit "start without it".
    fs.renameSync(path.join(image, aside[0]), path.join(tempDataDir(), aside[0]));
    assert.deepStrictEqual(await storedSeqs(image), []);
  });

  it('refuses journals that do not continue the snapshot', async () => {
    const image = await crashImage(3);
    fs.rmSync(path.join(image, SNAPSHOT_FILE), { force: true });
    const [segment] = listSegments(image);
    const bytes = fs.readFileSync(segment.file);
    fs.writeFileSync(segment.file, bytes.subarray(8 + bytes.readUInt32BE(0)));
    await assert.rejects(startTestServer({ dataDir: image }), (error: StartError) => error.code === 'store-corrupt' && /continues at seq 2/.test(error.message));
    server = await startTestServer();
  });
});
