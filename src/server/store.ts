// The message store: durable before the ack, queryable through sql.js, cheap per message whatever
// its size.
//
// Data directory:
//   room.json              room id, KDF parameters and password verifier (see room.ts)
//   messages.sqlite        last snapshot of the sql.js database, replaced only by atomic rename
//   journal-NNNNNNNN.log   journal segments (see journal.ts) holding what the snapshot lacks
//   server.lock            pid of the running server
//   *.corrupt-<time>       damaged files moved aside at start, kept for inspection
//
// An accepted message is appended to the current segment (group commit, fdatasync) and only then
// inserted into the database, acknowledged and broadcast. Once the journal holds max(N, a quarter of
// the store) messages no snapshot covers, the store rotates to a new segment, exports the database
// (it covers exactly the older segments), writes it atomically and then deletes the older segments.
// The export costs time in proportion to the store, and so does the wait between two of them: the
// cost per message stays the same however large the store grows. At start the snapshot is loaded and the
// segments are replayed (records the snapshot already holds are skipped).
//
// Damage found at start:
// - torn last record of the newest segment: a crash mid-append, never acknowledged; truncated away.
// - any other bad record: the segment is moved aside, the records before the damage are kept, the
//   store starts from what is valid and says so; a snapshot is written at once.
// - a corrupt snapshot, a missing snapshot with a moved-aside one next to it, or journals that do
//   not continue the snapshot: the server refuses to start, naming the files, because starting
//   would silently lose the messages they held.
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from './errors';
import { fsyncDirectory, isStorageFull, moveAside, writeFileAtomic } from './files';
import { HistoryPage, HistoryQuery, MessageDatabase, SnapshotError } from './database';
import { JournalRecord, JournalWriter, encodeRecord, listSegments, scanJournal, segmentFile } from './journal';
import type { Logger } from './logger';

export const SNAPSHOT_FILE = 'messages.sqlite';

export interface StoreOptions {
  readonly dataDir: string;
  readonly snapshotEveryMessages: number;
  readonly snapshotGrowth: number;
  readonly logger: Logger;
  /** The journal could not be written: nothing more can be made durable, the server must stop. */
  readonly onFatal: (error: Error) => void;
}

/** What the server has checked about an envelope and the store needs to index it. */
export interface AcceptedEnvelope {
  readonly messageId: Buffer;
  readonly messageIv: Buffer;
  readonly envelope: Buffer;
}

interface Pending {
  readonly record: JournalRecord;
  readonly keys: readonly string[];
  readonly resolve: (seq: number) => void;
  readonly reject: (error: Error) => void;
}

const idKey = (messageId: Buffer) => `id:${messageId.toString('hex')}`;
const ivKey = (iv: Buffer) => `iv:${iv.toString('hex')}`;

async function loadSnapshot(dataDir: string): Promise<MessageDatabase> {
  const file = path.join(dataDir, SNAPSHOT_FILE);
  if (!fs.existsSync(file)) {
    const aside = fs.readdirSync(dataDir).find((name) => name.startsWith(`${SNAPSHOT_FILE}.corrupt-`));
    if (aside) {
      throw new StartError('store-corrupt', `${file} is missing and a moved-aside snapshot ${path.join(dataDir, aside)} exists; refusing to start without its messages. Restore a good snapshot as ${file}, or move ${aside} out of ${dataDir} to start without them.`);
    }
    return MessageDatabase.open();
  }
  try {
    return await MessageDatabase.open(await fs.promises.readFile(file));
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    const moved = await moveAside(file);
    throw new StartError('store-corrupt', `snapshot ${file} is corrupt (${error.message}); moved aside to ${moved}. Refusing to start: the messages it held would be missing. Restore a good snapshot as ${file}, or move ${path.basename(moved)} out of ${dataDir} to start without them.`);
  }
}

export class MessageStore {
  private readonly pending: Pending[] = [];
  private readonly pendingKeys = new Set<string>();
  private nextSeq: number;
  /** Records in the journal that no snapshot covers yet. */
  private uncovered = 0;
  /** Messages in the database, kept here because COUNT(*) reads the whole table. */
  private stored: number;
  /** Uncovered records at which the next snapshot is taken; after a failure, one more interval on. */
  private snapshotAt: number;
  private commitLoop: Promise<void> | null = null;
  private snapshotWrite: Promise<void> | null = null;
  private failure: Error | null = null;
  private closing = false;

  private constructor(
    private readonly options: StoreOptions,
    private readonly db: MessageDatabase,
    private journal: JournalWriter,
  ) {
    this.nextSeq = db.latestSeq() + 1;
    this.stored = db.count();
    this.snapshotAt = this.snapshotInterval();
  }

  static async open(options: StoreOptions): Promise<MessageStore> {
    const { dataDir, logger } = options;
    const db = await loadSnapshot(dataDir);
    try {
      const { replayed, damaged } = await MessageStore.replay(db, dataDir, logger);
      const segments = listSegments(dataDir);
      const next = (segments.at(-1)?.number ?? 0) + 1;
      const store = new MessageStore(options, db, await JournalWriter.create({ number: next, file: segmentFile(dataDir, next) }));
      store.uncovered = replayed;
      logger.log('info', 'store-opened', { messages: db.count(), latestSeq: db.latestSeq(), replayed });
      // Fold the replayed journal into a fresh snapshot now, so start-up work stays bounded.
      if (replayed > 0 || damaged) await store.snapshotNow();
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private static async replay(db: MessageDatabase, dataDir: string, logger: Logger): Promise<{ replayed: number; damaged: boolean }> {
    const segments = listSegments(dataDir);
    let expected = db.latestSeq() + 1;
    let replayed = 0;
    let damaged = false;
    for (const [index, segment] of segments.entries()) {
      const bytes = await fs.promises.readFile(segment.file);
      const scan = scanJournal(bytes);
      const fresh = scan.records.filter((record) => record.seq >= expected);
      if (fresh.length > 0 && fresh[0].seq !== expected && !damaged) {
        throw new StartError('store-corrupt', `${segment.file} continues at seq ${fresh[0].seq} but the store ends at seq ${expected - 1}: part of the store is missing. Refusing to start; restore the missing snapshot or journal.`);
      }
      db.insert(fresh);
      replayed += fresh.length;
      if (fresh.length > 0) expected = fresh.at(-1)!.seq + 1;
      if (!scan.damage) continue;
      if (scan.damage.kind === 'torn' && index === segments.length - 1) {
        await fs.promises.truncate(segment.file, scan.validBytes);
        logger.log('warn', 'journal-torn-record-truncated', { file: segment.file, offset: scan.validBytes, bytes: bytes.length - scan.validBytes });
        continue;
      }
      const moved = await moveAside(segment.file);
      damaged = true;
      logger.log('error', 'journal-corrupt', {
        file: segment.file, offset: scan.damage.offset, movedTo: moved, kept: scan.records.length,
        detail: `a damaged record was found; the ${scan.records.length} records before it were kept, the rest of the file is in the moved-aside copy; starting from what is valid`,
      });
    }
    return { replayed, damaged };
  }

  /** Whether a message with this id or IV is stored or on its way to the journal. */
  contains(messageId: Buffer, messageIv: Buffer): boolean {
    return this.pendingKeys.has(idKey(messageId)) || this.pendingKeys.has(ivKey(messageIv)) || this.db.contains(messageId, messageIv);
  }

  /** Resolves with the message's seq once it is durable; the caller must have checked `contains`. */
  append(message: AcceptedEnvelope): Promise<number> {
    if (this.failure || this.closing) return Promise.reject(this.failure ?? new Error('the store is closing'));
    return new Promise((resolve, reject) => {
      const keys = [idKey(message.messageId), ivKey(message.messageIv)];
      for (const key of keys) this.pendingKeys.add(key);
      this.pending.push({ record: { seq: this.nextSeq++, receivedAt: Date.now(), envelope: message.envelope }, keys, resolve, reject });
      this.kick();
    });
  }

  latestSeq(): number {
    return this.db.latestSeq();
  }

  history(query: HistoryQuery, maxEncodedBytes: number): HistoryPage {
    return this.db.history(query, maxEncodedBytes);
  }

  /** Commits what is pending, writes a final snapshot, drops the covered journal and closes. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.commitLoop || this.snapshotWrite) await Promise.all([this.commitLoop, this.snapshotWrite]);
    if (!this.failure && this.uncovered > 0) await this.snapshotNow();
    await this.journal.close().catch(() => undefined);
    if (!this.failure && this.uncovered === 0) await fs.promises.rm(this.journal.segment.file, { force: true });
    this.db.close();
  }

  /** Starts the commit loop on the next turn of the event loop, so one tick's messages share a commit. */
  private kick(): void {
    if (this.commitLoop || this.failure) return;
    this.commitLoop = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (!this.failure && (this.pending.length > 0 || this.snapshotWanted())) {
        if (this.pending.length > 0) await this.commit(this.pending.splice(0));
        if (this.snapshotWanted()) await this.startSnapshot();
      }
    })().finally(() => {
      this.commitLoop = null;
      if (this.pending.length > 0 || this.snapshotWanted()) this.kick();
    });
  }

  private snapshotWanted(): boolean {
    return !this.snapshotWrite && this.uncovered >= this.snapshotAt;
  }

  private snapshotInterval(): number {
    return Math.max(this.options.snapshotEveryMessages, Math.ceil(this.stored * this.options.snapshotGrowth));
  }

  /** A failed snapshot is tried again one interval later, so a full disk does not make the loop spin. */
  private snapshotFailed(error: Error): void {
    this.snapshotAt = this.uncovered + this.snapshotInterval();
    this.options.logger.log('error', 'snapshot-failed', { error: error.message });
  }

  /** One group commit: one write and one fdatasync for the whole batch, then index and resolve. */
  private async commit(batch: Pending[]): Promise<void> {
    try {
      await this.journal.append(Buffer.concat(batch.map((item) => encodeRecord(item.record))));
      this.db.insert(batch.map((item) => item.record));
    } catch (error) {
      if (isStorageFull(error)) return this.refuse(error as Error, batch);
      this.fail(error as Error, batch);
      return;
    }
    for (const item of batch) {
      for (const key of item.keys) this.pendingKeys.delete(key);
      item.resolve(item.record.seq);
    }
    this.uncovered += batch.length;
    this.stored += batch.length;
  }

  /**
   * The disk is full: the journal is back at its last complete record (JournalWriter.append), so
   * this batch is refused, nothing acknowledged is touched, and the store stays open for when
   * space returns. Their seqs are not reused: seqs may have gaps.
   */
  private refuse(error: Error, batch: Pending[]): void {
    for (const item of batch) {
      for (const key of item.keys) this.pendingKeys.delete(key);
      item.reject(error);
    }
  }

  private fail(error: Error, batch: Pending[]): void {
    this.failure = error;
    for (const item of [...batch, ...this.pending.splice(0)]) item.reject(error);
    this.pendingKeys.clear();
    this.options.logger.log('error', 'journal-write-failed', { file: this.journal.segment.file, error: error.message });
    this.options.onFatal(error);
  }

  private async snapshotNow(): Promise<void> {
    await this.startSnapshot();
    await this.snapshotWrite;
  }

  /**
   * Runs only between commits: rotates to a new segment and exports the database, which then holds
   * exactly the records of the older segments. Writing the image and dropping those segments goes
   * on in the background while new commits go to the new segment.
   */
  private async startSnapshot(): Promise<void> {
    const { dataDir } = this.options;
    const old = this.journal;
    const number = old.segment.number + 1;
    try {
      this.journal = await JournalWriter.create({ number, file: segmentFile(dataDir, number) });
    } catch (error) {
      this.snapshotFailed(error as Error);
      return;
    }
    const image = this.db.export();
    const covered = this.uncovered;
    this.uncovered = 0;
    this.snapshotAt = this.snapshotInterval();
    this.snapshotWrite = this.writeSnapshot(old, image, number)
      .catch((error: Error) => {
        // The older segments stay on disk, so nothing is lost; the next snapshot covers them too.
        this.uncovered += covered;
        this.snapshotFailed(error);
      })
      .finally(() => {
        this.snapshotWrite = null;
        if (!this.closing) this.kick();
      });
  }

  private async writeSnapshot(old: JournalWriter, image: Uint8Array, keepFrom: number): Promise<void> {
    const { dataDir, logger } = this.options;
    const started = Date.now();
    await old.close();
    await writeFileAtomic(path.join(dataDir, SNAPSHOT_FILE), image);
    for (const segment of listSegments(dataDir)) {
      if (segment.number < keepFrom) await fs.promises.rm(segment.file);
    }
    await fsyncDirectory(dataDir);
    logger.log('info', 'snapshot-written', { bytes: image.length, ms: Date.now() - started });
  }
}
