// A segment worker thread: everything sql.js does for the store happens here, off the server's
// event loop. The store runs two: one seals (long, CPU-bound work), one reads (history pages and the
// replay check of old envelopes), so a page never waits behind a seal. A reader keeps the few
// segments it opened last in memory (an LRU), since paging back reads neighbouring seqs.
import * as fs from 'fs';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
// Not through the index: a worker thread must not load @noble/curves (see eslint.config.mjs).
import { readEnvelopeHeader } from '../crypto/envelopeHeader';
import { LegacySnapshot, SegmentDatabase, SnapshotError, buildSegmentImage, warmEngine } from './database';
import { writeFileAtomic } from './files';
import { JournalRecord, scanJournal } from './journal';
import { KEY_BYTES, writeSegmentKeys } from './segmentKeys';
import type { SegmentAnswers, SegmentBounds, SegmentReply, SegmentRequest } from './segmentRequests';
import { SegmentInfo, segmentName } from './segments';

const openLimit: number = (workerData as { openSegments: number }).openSegments;
const open = new Map<string, SegmentDatabase>();

/**
 * Segment and journal files are read into this one buffer, grown as needed, never into a fresh one:
 * on this kind of virtual machine first touching fresh memory costs about 5 ms a MiB, 50 times the
 * read from the page cache. Nothing keeps a view of it: sql.js copies an image into its own file
 * system when it opens it, and scanJournal copies each envelope out. The read is synchronous: this
 * thread has nothing else to do meanwhile, and each of its four steps as a thread-pool round trip
 * cost more than the read itself.
 */
let readBuffer = Buffer.alloc(0);
const READ_BUFFER_HEADROOM = 1.25;

function readReused(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    // With room to spare: files differ in size by a few KiB, and each growth is a fresh buffer.
    if (readBuffer.length < size) readBuffer = Buffer.alloc(Math.ceil(size * READ_BUFFER_HEADROOM));
    let read = 0;
    while (read < size) {
      const bytesRead = fs.readSync(fd, readBuffer, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return readBuffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

async function segment(dataDir: string, info: SegmentInfo): Promise<SegmentDatabase> {
  const cached = open.get(info.name);
  if (cached) {
    open.delete(info.name);
    open.set(info.name, cached);
    return cached;
  }
  const file = path.join(dataDir, info.name);
  let db: SegmentDatabase;
  try {
    db = await SegmentDatabase.open(readReused(file), info);
  } catch (error) {
    throw error instanceof SnapshotError ? new SnapshotError(`segment ${file} is damaged (${error.message})`) : error;
  }
  open.set(info.name, db);
  for (const [name, oldest] of open) {
    if (open.size <= openLimit) break;
    oldest.close();
    open.delete(name);
  }
  return db;
}

/**
 * Writes `records` (contiguous in the store, the first one following seq `afterSeq`) as segments
 * cut at the bounds. Each segment's range starts right after the previous one's, so the ranges
 * tile the seqs even where damage at some start left a seq unused.
 */
async function writeSegments(dataDir: string, records: readonly JournalRecord[], afterSeq: number, bounds: SegmentBounds): Promise<SegmentInfo[]> {
  const written: SegmentInfo[] = [];
  let start = 0;
  let previous = afterSeq;
  while (start < records.length) {
    let end = start;
    let bytes = 0;
    while (end < records.length && end - start < bounds.segmentMessages && (end === start || bytes + records[end].envelope.length <= bounds.segmentBytes)) {
      bytes += records[end].envelope.length;
      end += 1;
    }
    const chunk = records.slice(start, end);
    let minSentAt = Number.MAX_SAFE_INTEGER;
    let maxSentAt = 0;
    const ids = Buffer.alloc(chunk.length * KEY_BYTES);
    const ivs = Buffer.alloc(chunk.length * KEY_BYTES);
    for (const [i, record] of chunk.entries()) {
      const header = readEnvelopeHeader(record.envelope);
      if (!header) throw new Error(`the envelope of seq ${record.seq} has no readable header`);
      minSentAt = Math.min(minSentAt, header.timestamp);
      maxSentAt = Math.max(maxSentAt, header.timestamp);
      ids.set(header.messageId, i * KEY_BYTES);
      ivs.set(header.messageIv, i * KEY_BYTES);
    }
    const info = { firstSeq: previous + 1, lastSeq: chunk.at(-1)!.seq, minSentAt, maxSentAt };
    const sealed = { ...info, name: segmentName(info) };
    await writeFileAtomic(path.join(dataDir, sealed.name), await buildSegmentImage(chunk));
    await writeSegmentKeys(dataDir, sealed, { ids, ivs });
    written.push(sealed);
    previous = info.lastSeq;
    start = end;
  }
  return written;
}

async function seal(request: Extract<SegmentRequest, { kind: 'seal' }>): Promise<SegmentInfo[]> {
  const records: JournalRecord[] = [];
  for (const file of request.journals) {
    const scan = scanJournal(readReused(file));
    if (scan.damage) throw new Error(`${file} is damaged at offset ${scan.damage.offset}`);
    records.push(...scan.records.filter((record) => record.seq >= request.firstSeq && record.seq <= request.lastSeq));
  }
  // Records kept from a damaged file were written again to a later file, out of file order.
  records.sort((a, b) => a.seq - b.seq);
  if (records.length !== request.count || records.at(-1)?.seq !== request.lastSeq) {
    throw new Error(`the journal files hold ${records.length} of the ${request.count} messages of seqs ${request.firstSeq}-${request.lastSeq}`);
  }
  return writeSegments(request.dataDir, records, request.firstSeq - 1, request.bounds);
}

/** The snapshot is read once, whole (sql.js has no other way), and copied out a segment at a time. */
async function migrate(request: Extract<SegmentRequest, { kind: 'migrate' }>): Promise<SegmentAnswers['migrate']> {
  const snapshot = await LegacySnapshot.open(await fs.promises.readFile(request.snapshot));
  try {
    const segments: SegmentInfo[] = [];
    for (let after = request.afterSeq; ;) {
      const records = snapshot.records(after, request.bounds.segmentMessages);
      if (records.length === 0) break;
      segments.push(...await writeSegments(request.dataDir, records, after, request.bounds));
      after = records.at(-1)!.seq;
    }
    return { segments, latestSeq: snapshot.latestSeq() };
  } finally {
    snapshot.close();
  }
}

async function holds(request: Extract<SegmentRequest, { kind: 'holds' }>): Promise<boolean> {
  for (const info of request.segments) {
    if ((await segment(request.dataDir, info)).holds(request.messageId, request.messageIv)) return true;
  }
  return false;
}

/** The read grows the read buffer to a segment's size and brings the file into the page cache. */
async function warm(request: Extract<SegmentRequest, { kind: 'warm' }>): Promise<null> {
  await warmEngine();
  readReused(path.join(request.dataDir, request.segment.name));
  return null;
}

async function answer(request: SegmentRequest): Promise<SegmentAnswers[SegmentRequest['kind']]> {
  switch (request.kind) {
    case 'seal': return seal(request);
    case 'migrate': return migrate(request);
    case 'page': return (await segment(request.dataDir, request.segment)).page(request.direction, request.from, request.limit);
    case 'keys': return (await segment(request.dataDir, request.segment)).keys();
    case 'holds': return holds(request);
    case 'warm': return warm(request);
  }
}

// One request at a time, in order: sql.js is synchronous anyway, and ordering keeps the LRU simple.
let queue = Promise.resolve();
parentPort!.on('message', (message: { id: number; request: SegmentRequest }) => {
  queue = queue.then(async () => {
    let reply: SegmentReply;
    try {
      reply = { id: message.id, ok: true, value: await answer(message.request) };
    } catch (error) {
      reply = { id: message.id, ok: false, message: (error as Error).message, damaged: error instanceof SnapshotError };
    }
    parentPort!.postMessage(reply);
  });
});
