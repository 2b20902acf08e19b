// The message store: durable before the ack, cheap per message whatever the size of the history,
// and nothing on the event loop that grows with it.
//
// Data directory:
//   room.json              room id, KDF parameters and password verifier (see room.ts)
//   segment-….sqlite       sealed segments (see segments.ts): sql.js databases, written once, never rewritten
//   segment-….keys         each segment's message ids and IVs (segmentKeys.ts), read at start for the replay window
//   journal-NNNNNNNN.log   journal files (see journal.ts) holding the messages no segment holds yet;
//                          the first is created by the first message, so a room without messages has none
//   server.lock            pid of the running server
//   messages.sqlite        the earlier layout's single snapshot, only until it is migrated
//   *.corrupt-<time>       damaged files moved aside at start, kept for inspection
//
// An accepted message is appended to the current journal file (group commit, fdatasync) and only
// then kept in memory, acknowledged and broadcast. Once the unsealed messages reach a segment's worth,
// the store closes the current journal file (the next commit starts a new one) and a worker thread seals the older files' messages into
// segments, each written to a temporary file, fsync'd and renamed; then those journal files are
// deleted. So the journal, the memory held for it and the work of a restart stay bounded by about
// one segment, and sealed history is only ever read a segment at a time, by the reader thread.
//
// Damage found at start:
// - torn last record of the newest journal file: a crash mid-append, never acknowledged; truncated away.
// - any other bad record: the file is moved aside, the records before the damage are kept (written
//   again to the new journal file), the store starts from what is valid and says so.
// - segments whose seq ranges do not follow each other, a corrupt snapshot of the earlier layout, a
//   missing snapshot with a moved-aside one next to it, or journals that do not continue the
//   segments: the server refuses to start, naming the files, because starting would silently lose
//   the messages they held.
import * as fs from 'fs';
import * as path from 'path';
import { readEnvelopeHeader } from '../crypto';
import type { StoredRow } from './database';
import { StartError } from './errors';
import { fsyncDirectory, isStorageFull, moveAside } from './files';
import { JournalFile, JournalRecord, JournalWriter, encodeRecords, journalFile, listJournals, scanJournal } from './journal';
import type { Logger } from './logger';
import { RecentKeys } from './recentKeys';
import { AcceptedEnvelope, Durable, HistoryQuery, RoomLog, StoredPage, cutPage } from './roomLog';
import { KEY_BYTES, SegmentKeys, readSegmentKeys, writeSegmentKeys } from './segmentKeys';
import type { SegmentBounds } from './segmentRequests';
import { SegmentThread, SegmentWorkerError } from './segmentThread';
import { SegmentInfo, continuityProblem, listSegments, segmentHolding, temporarySegmentFiles } from './segments';

/** The earlier layout's snapshot of the whole store, migrated into segments on first start. */
export const LEGACY_SNAPSHOT_FILE = 'messages.sqlite';
/** Segments the reader thread keeps open: paging back reads neighbouring seqs. */
const OPEN_SEGMENTS = 4;
/** Keys stay in the replay index this long past the freshness window, for server clock steps. */
const CLOCK_STEP_MARGIN_MS = 60_000;

export interface StoreOptions extends SegmentBounds {
  readonly dataDir: string;
  /** The freshness window: envelopes further than this from the server clock are refused as stale. */
  readonly freshnessMs: number;
  readonly logger: Logger;
  /** The journal could not be written: nothing more can be made durable, the server must stop. */
  readonly onFatal: (error: Error) => void;
  /** Runs one group commit's deliveries (acks, broadcasts): the server corks the sockets around it. */
  readonly deliver?: (run: () => void) => void;
}

/** A durable record kept in memory until sealed, with its replay-index keys. */
interface KeptRecord extends JournalRecord {
  readonly keys: { readonly id: string; readonly iv: string };
}

interface Pending {
  readonly record: KeptRecord;
  readonly done: Durable;
}

/** Only the bounds cross to the worker: options also hold functions, which do not. */
const boundsOf = ({ segmentMessages, segmentBytes }: SegmentBounds): SegmentBounds => ({ segmentMessages, segmentBytes });

/** Whether a data directory holds messages of a room (in any layout); an empty journal file holds none. */
export function holdsMessages(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, LEGACY_SNAPSHOT_FILE)) || listSegments(dataDir).length > 0
    || listJournals(dataDir).some((journal) => fs.statSync(journal.file).size > 0);
}

/** Index of the first record with seq > `seq` in records sorted by seq. */
function firstAfter(records: readonly JournalRecord[], seq: number): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (records[middle].seq <= seq) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Migrates the earlier layout's `messages.sqlite` into segments, in place. Resumable: segments are
 * written one at a time, atomically, and the snapshot is only deleted once segments hold all of it,
 * so a start interrupted at any point carries on after the last segment written.
 */
async function migrateLegacySnapshot(options: StoreOptions, sealer: SegmentThread): Promise<void> {
  const { dataDir, logger } = options;
  const file = path.join(dataDir, LEGACY_SNAPSHOT_FILE);
  if (!fs.existsSync(file)) {
    const aside = fs.readdirSync(dataDir).find((name) => name.startsWith(`${LEGACY_SNAPSHOT_FILE}.corrupt-`));
    if (aside) {
      throw new StartError('store-corrupt', `${file} is missing and a moved-aside snapshot ${path.join(dataDir, aside)} exists; refusing to start without its messages. Restore a good snapshot as ${file}, or move ${aside} out of ${dataDir} to start without them.`);
    }
    return;
  }
  const done = listSegments(dataDir);
  const afterSeq = done.at(-1)?.lastSeq ?? 0;
  logger.log('info', 'store-migration-started', { file, afterSeq });
  const started = Date.now();
  let migrated;
  try {
    migrated = await sealer.request({ kind: 'migrate', dataDir, snapshot: file, afterSeq, bounds: boundsOf(options) });
  } catch (error) {
    if (!(error instanceof SegmentWorkerError && error.damaged)) throw new StartError('internal', `cannot migrate ${file}: ${(error as Error).message}`);
    const moved = await moveAside(file);
    throw new StartError('store-corrupt', `snapshot ${file} is corrupt (${error.message}); moved aside to ${moved}. Refusing to start: the messages it held would be missing. Restore a good snapshot as ${file}, or move ${path.basename(moved)} out of ${dataDir} to start without them.`);
  }
  const segments = listSegments(dataDir);
  const problem = continuityProblem(segments);
  if (problem || (segments.at(-1)?.lastSeq ?? 0) !== migrated.latestSeq) {
    throw new StartError('store-corrupt', `the segments written from ${file} do not hold it all (${problem ?? `they end at seq ${segments.at(-1)?.lastSeq ?? 0}, the snapshot at ${migrated.latestSeq}`}); it is kept, nothing was deleted`);
  }
  await fs.promises.rm(file);
  await fsyncDirectory(dataDir);
  logger.log('info', 'store-migrated', { messages: migrated.latestSeq, segments: segments.length, written: migrated.segments.length, ms: Date.now() - started });
}

/** A segment without an intact key file (segmentKeys.ts): its keys read from the segment, and the file written. */
async function rebuildSegmentKeys(dataDir: string, segment: SegmentInfo, reader: SegmentThread, logger: Logger): Promise<SegmentKeys> {
  const keys = await reader.request({ kind: 'keys', dataDir, segment });
  await writeSegmentKeys(dataDir, segment, keys);
  logger.log('info', 'segment-keys-rebuilt', { segment: segment.name, messages: keys.ids.length / KEY_BYTES });
  return keys;
}

interface Replayed {
  readonly records: JournalRecord[];
  /** Journal files still holding unsealed records, oldest first. */
  readonly journals: JournalFile[];
  /** Records kept from damaged files, which were moved aside: to be written again. */
  readonly rescued: JournalRecord[];
}

/** Reads the journal files back: the records after the last sealed seq, in order. */
async function replayJournals(dataDir: string, lastSealed: number, logger: Logger): Promise<Replayed> {
  const files = listJournals(dataDir);
  const records: JournalRecord[] = [];
  const journals: JournalFile[] = [];
  const rescued: JournalRecord[] = [];
  let expected = lastSealed + 1;
  let damaged = false;
  for (const [index, journal] of files.entries()) {
    const bytes = await fs.promises.readFile(journal.file);
    const scan = scanJournal(bytes);
    const fresh = scan.records.filter((record) => record.seq >= expected);
    if (fresh.length > 0 && fresh[0].seq !== expected && !damaged) {
      throw new StartError('store-corrupt', `${journal.file} continues at seq ${fresh[0].seq} but the store ends at seq ${expected - 1}: part of the store is missing. Refusing to start; restore the missing segment or journal.`);
    }
    records.push(...fresh);
    if (fresh.length > 0) expected = fresh.at(-1)!.seq + 1;
    if (scan.damage && !(scan.damage.kind === 'torn' && index === files.length - 1)) {
      const moved = await moveAside(journal.file);
      damaged = true;
      rescued.push(...fresh);
      logger.log('error', 'journal-corrupt', {
        file: journal.file, offset: scan.damage.offset, movedTo: moved, kept: scan.records.length,
        detail: `a damaged record was found; the ${scan.records.length} records before it were kept, the rest of the file is in the moved-aside copy; starting from what is valid`,
      });
      continue;
    }
    if (scan.damage) {
      await fs.promises.truncate(journal.file, scan.validBytes);
      logger.log('warn', 'journal-torn-record-truncated', { file: journal.file, offset: scan.validBytes, bytes: bytes.length - scan.validBytes });
    }
    // A file whose records are all sealed already (a stop between a seal's rename and its cleanup).
    if (fresh.length === 0) await fs.promises.rm(journal.file);
    else journals.push(journal);
  }
  return { records, journals, rescued };
}

export class MessageStore implements RoomLog {
  /** The server broadcasts what this store acknowledges: one process holds every member. */
  readonly fansOut = false;
  private readonly pending: Pending[] = [];
  private nextSeq: number;
  /** Last durable seq. */
  private committedSeq: number;
  /** Messages in memory not yet in a seal in progress: what decides when the next seal starts. */
  private sealable = { messages: 0, bytes: 0 };
  private commitLoop: Promise<void> | null = null;
  private sealing: Promise<void> | null = null;
  private failure: Error | null = null;
  private closing = false;

  private constructor(
    private readonly options: StoreOptions,
    private readonly sealer: SegmentThread,
    private readonly reader: SegmentThread,
    private readonly segments: SegmentInfo[],
    /** Durable records no segment holds yet, in seq order. */
    private readonly records: KeptRecord[],
    /** Journal files before the current one still holding some of `records`. */
    private olderJournals: JournalFile[],
    /** The file appends go to; null until the first append after the start or a seal. */
    private journal: JournalWriter | null,
    /** The number the next journal file gets: numbers only grow. */
    private nextJournal: number,
    private readonly recent: RecentKeys,
  ) {
    this.committedSeq = records.at(-1)?.seq ?? this.lastSealed();
    this.nextSeq = this.committedSeq + 1;
    for (const record of records) this.countSealable(record);
  }

  static async open(options: StoreOptions): Promise<MessageStore> {
    const { dataDir, logger } = options;
    const sealer = new SegmentThread(1);
    const reader = new SegmentThread(OPEN_SEGMENTS);
    try {
      for (const file of temporarySegmentFiles(dataDir)) await fs.promises.rm(file);
      await migrateLegacySnapshot(options, sealer);
      const segments = listSegments(dataDir);
      const problem = continuityProblem(segments);
      if (problem) throw new StartError('store-corrupt', `the sealed segments in ${dataDir} do not follow each other: ${problem}. Refusing to start; restore the missing segment.`);
      // The store is open once it can serve any page: the reader thread's start, sql.js, the
      // compilation of what a page runs and its read buffer (segmentWorker.ts) are readied during
      // the start, beside its own reads, not in the first member's wait for an old page. Without
      // segments there is nothing to read and no thread starts.
      const newest = segments.at(-1);
      const readerReady = newest ? reader.request({ kind: 'warm', dataDir, segment: newest }) : Promise.resolve(null);
      readerReady.catch(() => undefined);
      // Numbers only grow, also past files the replay finds covered and removes.
      const number = Math.max(0, ...listJournals(dataDir).map((j) => j.number)) + 1;
      const { records, journals, rescued } = await replayJournals(dataDir, segments.at(-1)?.lastSeq ?? 0, logger);
      const recent = new RecentKeys();
      const kept = records.map((record): KeptRecord => {
        // Every journalled envelope was verified before it was written, so its header reads.
        const header = readEnvelopeHeader(record.envelope)!;
        return { ...record, keys: recent.add(header.messageId, header.messageIv) };
      });
      const horizon = Date.now() - options.freshnessMs - CLOCK_STEP_MARGIN_MS;
      for (const segment of segments.filter((s) => s.maxSentAt >= horizon)) {
        const keys = await readSegmentKeys(dataDir, segment) ?? await rebuildSegmentKeys(dataDir, segment, reader, logger);
        recent.addSealed(segment.maxSentAt, keys.ids, keys.ivs);
      }
      // What a damaged file held before the damage lives on in a new journal file, before the start completes.
      const journal = rescued.length > 0 ? await JournalWriter.create(journalFile(dataDir, number)) : null;
      if (journal) await journal.append(encodeRecords(rescued));
      await readerReady;
      const store = new MessageStore(options, sealer, reader, segments, kept, journals, journal, journal ? number + 1 : number, recent);
      logger.log('info', 'store-opened', { latestSeq: store.latestSeq(), segments: segments.length, replayed: records.length });
      store.kick();
      return store;
    } catch (error) {
      await Promise.all([sealer.terminate(), reader.terminate()]);
      throw error;
    }
  }

  /**
   * Whether a message with this id or IV is stored or on its way, among the messages whose sender
   * timestamp is within the freshness window (and everything unsealed): exact for any envelope that
   * passes the freshness check (see recentKeys.ts).
   */
  holdsRecent(messageId: Buffer, messageIv: Buffer): boolean {
    return this.recent.has(messageId, messageIv);
  }

  /**
   * For an envelope outside the freshness window: whether it is stored, looked up in the sealed
   * segments whose sender-timestamp range holds its timestamp (a replay carries the original's).
   */
  async holdsAnywhere(messageId: Buffer, messageIv: Buffer, timestamp: number): Promise<boolean> {
    if (this.recent.has(messageId, messageIv)) return true;
    const candidates = this.segments.filter((s) => s.minSentAt <= timestamp && timestamp <= s.maxSentAt);
    if (candidates.length === 0) return false;
    return this.reader.request({ kind: 'holds', dataDir: this.options.dataDir, segments: candidates, messageId, messageIv });
  }

  /** Calls `done` once the message is durable; the caller must have checked `holdsRecent`. */
  append(message: AcceptedEnvelope, done: Durable): void {
    if (this.failure || this.closing) return done(this.failure ?? new Error('the store is closing'), 0);
    const keys = this.recent.add(message.messageId, message.messageIv);
    this.pending.push({ record: { seq: this.nextSeq++, receivedAt: Date.now(), envelope: message.envelope, keys }, done });
    this.kick();
  }

  latestSeq(): number {
    return this.committedSeq;
  }

  /** One page in ascending seq order (see cutPage): one row more than asked tells `hasMore`. */
  async history({ before, after, limit }: HistoryQuery, maxEncodedBytes: number): Promise<StoredPage> {
    const rows = after !== undefined ? await this.rowsAfter(after, limit + 1) : await this.rowsBefore(before ?? Number.MAX_SAFE_INTEGER, limit + 1);
    return cutPage(rows, after !== undefined, limit, maxEncodedBytes);
  }

  /** Resolves once nothing is pending, being committed or being sealed (for benchmarks and tests). */
  async idle(): Promise<void> {
    while (this.commitLoop || this.sealing) await Promise.all([this.commitLoop, this.sealing]);
  }

  /** Commits what is pending, then stops: a seal in progress is abandoned (its journal files stay). */
  async close(): Promise<void> {
    this.closing = true;
    while (this.commitLoop) await this.commitLoop;
    await this.journal?.close().catch(() => undefined);
    await Promise.all([this.sealer.terminate(), this.reader.terminate()]);
    await this.sealing;
  }

  private lastSealed(): number {
    return this.segments.at(-1)?.lastSeq ?? 0;
  }

  private async rowsAfter(after: number, want: number): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    // State is read afresh at each step: a seal finishing meanwhile moves seqs from memory to a segment.
    for (let cursor = after; rows.length < want && cursor < this.committedSeq;) {
      if (cursor >= this.lastSealed()) {
        const from = firstAfter(this.records, cursor);
        rows.push(...this.records.slice(from, from + want - rows.length));
        break;
      }
      const segment = segmentHolding(this.segments, cursor + 1)!;
      rows.push(...await this.reader.request({ kind: 'page', dataDir: this.options.dataDir, segment, direction: 'after', from: cursor, limit: want - rows.length }));
      cursor = segment.lastSeq;
    }
    return rows;
  }

  private async rowsBefore(before: number, want: number): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    for (let cursor = Math.min(before, this.committedSeq + 1); rows.length < want && cursor > 1;) {
      if (cursor > this.lastSealed() + 1) {
        const to = firstAfter(this.records, cursor - 1);
        const from = Math.max(0, to - (want - rows.length));
        rows.push(...this.records.slice(from, to).reverse());
        cursor = this.lastSealed() + 1;
        continue;
      }
      const segment = segmentHolding(this.segments, cursor - 1)!;
      rows.push(...await this.reader.request({ kind: 'page', dataDir: this.options.dataDir, segment, direction: 'before', from: cursor, limit: want - rows.length }));
      cursor = segment.firstSeq;
    }
    return rows;
  }

  private countSealable(record: JournalRecord): void {
    this.sealable.messages += 1;
    this.sealable.bytes += record.envelope.length;
  }

  /** Starts the commit loop on the next turn of the event loop, so one tick's messages share a commit. */
  private kick(): void {
    if (this.commitLoop || this.failure) return;
    this.commitLoop = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (!this.failure && (this.pending.length > 0 || this.sealWanted())) {
        if (this.pending.length > 0) await this.commit(this.pending.splice(0));
        if (this.sealWanted()) await this.startSeal();
      }
    })().finally(() => {
      this.commitLoop = null;
      if (this.pending.length > 0 || this.sealWanted()) this.kick();
    });
  }

  private sealWanted(): boolean {
    const { segmentMessages, segmentBytes } = this.options;
    return !this.sealing && !this.closing && (this.sealable.messages >= segmentMessages || this.sealable.bytes >= segmentBytes);
  }

  /** One group commit: one write and one fdatasync for the whole batch, then keep and deliver. */
  private async commit(batch: Pending[]): Promise<void> {
    try {
      this.journal ??= await JournalWriter.create(journalFile(this.options.dataDir, this.nextJournal++));
      await this.journal.append(encodeRecords(batch.map((item) => item.record)));
    } catch (error) {
      if (isStorageFull(error)) return this.refuse(error as Error, batch);
      this.fail(error as Error, batch);
      return;
    }
    for (const { record } of batch) {
      this.records.push(record);
      this.countSealable(record);
    }
    this.committedSeq = batch.at(-1)!.record.seq;
    const deliver = this.options.deliver ?? ((run: () => void) => run());
    deliver(() => {
      for (const item of batch) item.done(null, item.record.seq);
    });
    this.recent.expire(Date.now() - this.options.freshnessMs - CLOCK_STEP_MARGIN_MS);
  }

  /**
   * The disk is full: the journal is back at its last complete record (JournalWriter.append), so
   * this batch is refused, nothing acknowledged is touched, and the store stays open for when
   * space returns. Their seqs are not reused: seqs may have gaps.
   */
  private refuse(error: Error, batch: Pending[]): void {
    for (const item of batch) {
      this.recent.forget(item.record.keys);
      item.done(error, 0);
    }
  }

  private fail(error: Error, batch: Pending[]): void {
    this.failure = error;
    for (const item of [...batch, ...this.pending.splice(0)]) item.done(error, 0);
    this.options.logger.log('error', 'journal-write-failed', { file: this.journal?.journal.file ?? journalFile(this.options.dataDir, this.nextJournal - 1).file, error: error.message });
    this.options.onFatal(error);
  }

  /**
   * Runs only between commits: closes the current journal file (the next commit starts a new one),
   * then hands the older files' records to the sealer thread. Commits go on meanwhile; the records
   * stay in memory (and their files on disk) until the segments holding them are durable.
   */
  private async startSeal(): Promise<void> {
    const { dataDir, logger } = this.options;
    const old = this.journal;
    this.journal = null;
    this.sealable = { messages: 0, bytes: 0 };
    const journals = old ? [...this.olderJournals, old.journal] : this.olderJournals;
    this.olderJournals = journals;
    await old?.close().catch((error: Error) => logger.log('warn', 'journal-close-failed', { file: old.journal.file, error: error.message }));
    const firstSeq = this.lastSealed() + 1;
    const lastSeq = this.committedSeq;
    const count = this.records.length;
    const started = Date.now();
    this.sealing = this.sealer.request({ kind: 'seal', dataDir, journals: journals.map((j) => j.file), firstSeq, lastSeq, count, bounds: boundsOf(this.options) })
      .then((sealed) => this.sealed(sealed, journals, started))
      .catch((error: Error) => {
        if (!this.closing) logger.log('error', 'seal-failed', { error: error.message });
      })
      .finally(() => {
        this.sealing = null;
        if (!this.closing) this.kick();
      });
  }

  /** The segments are durable: memory and journal files give up what they hold. */
  private async sealed(sealed: SegmentInfo[], journals: JournalFile[], started: number): Promise<void> {
    const { dataDir, logger } = this.options;
    const lastSeq = sealed.at(-1)!.lastSeq;
    const count = firstAfter(this.records, lastSeq);
    const records = this.records.splice(0, count);
    for (const segment of sealed) {
      const inSegment = records.slice(firstAfter(records, segment.firstSeq - 1), firstAfter(records, segment.lastSeq));
      this.recent.sealedAs(segment.maxSentAt, inSegment.map((record) => record.keys.id), inSegment.map((record) => record.keys.iv));
    }
    this.segments.push(...sealed);
    this.olderJournals = this.olderJournals.filter((journal) => !journals.includes(journal));
    for (const journal of journals) await fs.promises.rm(journal.file, { force: true });
    await fsyncDirectory(dataDir);
    logger.log('info', 'segment-sealed', { first: sealed[0].name, segments: sealed.length, messages: count, ms: Date.now() - started });
  }
}
