// The sql.js (SQLite in WebAssembly) side of the store: building a sealed segment's database from
// journal records, reading pages and replay keys back out of one, and reading the single-file
// snapshot of the store's earlier layout for its migration. Runs in the segment worker threads
// (segmentWorker.ts), never on the server's event loop. Envelopes are stored exactly as they arrived,
// plus the header columns the indexes need; nothing in a database is plaintext.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs, { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
// Not through the index: this runs in the store's worker threads (see eslint.config.mjs).
import { readEnvelopeHeader } from '../crypto/envelopeHeader';
import type { JournalRecord } from './journal';
import type { SegmentInfo } from './segments';

/** Schema 1: the whole store in one database (the earlier layout). Schema 2: one sealed segment. */
const LEGACY_SCHEMA = '1';
const SEGMENT_SCHEMA = '2';

const MESSAGES_TABLE = `
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    message_id BLOB NOT NULL,
    iv BLOB NOT NULL,
    user_block BLOB NOT NULL,
    sent_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    envelope BLOB NOT NULL
  );
`;
/** Built after the rows are in: one sort per index instead of a B-tree insert per row. */
const MESSAGES_INDEXES = `
  CREATE UNIQUE INDEX messages_message_id ON messages (message_id);
  CREATE UNIQUE INDEX messages_iv ON messages (iv);
`;
/**
 * Each database is private to one thread and durable through the server's own files: an exclusive
 * lock spares sql.js's file system a look for a `-journal` file at every statement, and a rollback
 * journal would only ever undo a batch we can redo from the journal anyway.
 */
const PRIVATE_PRAGMAS = 'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;';

/**
 * The wasm file sits next to the bundle (dist/sql-wasm.wasm); unbundled code (the compiled tests)
 * finds the package's copy in the nearest node_modules above it.
 */
function locateWasm(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'sql-wasm.wasm'), path.join(dir, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm')]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error(`sql-wasm.wasm not found near ${__dirname}`);
  }
}

let engine: Promise<SqlJsStatic> | undefined;
function loadEngine(): Promise<SqlJsStatic> {
  engine ??= initSqlJs({ locateFile: () => locateWasm() });
  return engine;
}

/** Thrown when database bytes are not a database this server wrote, or not the one named. */
export class SnapshotError extends Error {}

export interface StoredRow {
  readonly seq: number;
  readonly envelope: Uint8Array;
}

function rows(statement: Statement, params: SqlValue[]): SqlValue[][] {
  try {
    statement.bind(params);
    const out: SqlValue[][] = [];
    while (statement.step()) out.push(statement.get());
    return out;
  } finally {
    statement.reset();
  }
}

async function openImage(image: Uint8Array, schema: string): Promise<Database> {
  const SQL = await loadEngine();
  let db: Database;
  try {
    db = new SQL.Database(image);
  } catch (error) {
    throw new SnapshotError(`not a SQLite database (${(error as Error).message})`);
  }
  try {
    db.exec(PRIVATE_PRAGMAS);
    const found = db.exec("SELECT value FROM meta WHERE key = 'schema'")[0]?.values[0]?.[0];
    if (found !== schema) throw new SnapshotError(`unknown schema version ${String(found)}`);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof SnapshotError ? error : new SnapshotError((error as Error).message);
  }
}

/** One row of a segment's messages table: the envelope and the header columns its indexes need. */
interface SegmentRow {
  readonly seq: number;
  readonly messageId: Uint8Array;
  readonly messageIv: Uint8Array;
  readonly usernameBlock: Uint8Array;
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly envelope: Uint8Array;
}

/** The image of a segment holding `rows` (contiguous seqs), checked with `PRAGMA quick_check`. */
async function buildImage(rows: readonly SegmentRow[]): Promise<Uint8Array> {
  const SQL = await loadEngine();
  const db = new SQL.Database();
  try {
    db.exec(PRIVATE_PRAGMAS);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); ${MESSAGES_TABLE}`);
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    for (const [key, value] of [['schema', SEGMENT_SCHEMA], ['first_seq', String(rows[0].seq)], ['last_seq', String(rows.at(-1)!.seq)]]) meta.run([key, value]);
    meta.free();
    const insert = db.prepare('INSERT INTO messages (seq, message_id, iv, user_block, sent_at, received_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.exec('BEGIN');
    for (const row of rows) insert.run([row.seq, row.messageId, row.messageIv, row.usernameBlock, row.sentAt, row.receivedAt, row.envelope]);
    db.exec('COMMIT');
    insert.free();
    db.exec(MESSAGES_INDEXES);
    const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') throw new Error(`integrity check of the new segment failed (${String(check)})`);
    return db.export();
  } finally {
    db.close();
  }
}

/** A sealed segment's database image holding `records` (contiguous seqs, verified envelopes). */
export function buildSegmentImage(records: readonly JournalRecord[]): Promise<Uint8Array> {
  return buildImage(records.map(({ seq, receivedAt, envelope }) => {
    const header = readEnvelopeHeader(envelope);
    if (!header) throw new Error(`the envelope of seq ${seq} has no readable header`);
    return { seq, messageId: header.messageId, messageIv: header.messageIv, usernameBlock: header.usernameBlock, sentAt: header.timestamp, receivedAt, envelope };
  }));
}

/** One open sealed segment. */
export class SegmentDatabase {
  private readonly statements: Record<'after' | 'before' | 'keys' | 'holds', Statement>;

  private constructor(private readonly db: Database) {
    this.statements = {
      after: db.prepare('SELECT seq, envelope FROM messages WHERE seq > ? ORDER BY seq ASC LIMIT ?'),
      before: db.prepare('SELECT seq, envelope FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?'),
      keys: db.prepare('SELECT message_id, iv FROM messages ORDER BY seq'),
      holds: db.prepare('SELECT 1 FROM messages WHERE message_id = ? OR iv = ? LIMIT 1'),
    };
  }

  /** Opens an image, checking it is a segment and the one `info` names. */
  static async open(image: Uint8Array, info: SegmentInfo): Promise<SegmentDatabase> {
    const db = await openImage(image, SEGMENT_SCHEMA);
    const meta = new Map(db.exec("SELECT key, value FROM meta WHERE key IN ('first_seq', 'last_seq')")[0]?.values.map(([k, v]) => [k, Number(v)]) ?? []);
    if (meta.get('first_seq') !== info.firstSeq || meta.get('last_seq') !== info.lastSeq) {
      db.close();
      throw new SnapshotError(`holds seqs ${meta.get('first_seq')}-${meta.get('last_seq')}, its name says ${info.firstSeq}-${info.lastSeq}`);
    }
    return new SegmentDatabase(db);
  }

  /** Up to `limit` rows nearest to `from` (exclusive) in the given direction, nearest first. */
  page(direction: 'after' | 'before', from: number, limit: number): StoredRow[] {
    return rows(this.statements[direction], [from, limit]).map(([seq, envelope]) => ({ seq: Number(seq), envelope: envelope as Uint8Array }));
  }

  /** Every message id and IV, each list concatenated in seq order (16 bytes per entry). */
  keys(): { ids: Uint8Array; ivs: Uint8Array } {
    const all = rows(this.statements.keys, []);
    return { ids: Buffer.concat(all.map(([id]) => id as Uint8Array)), ivs: Buffer.concat(all.map(([, iv]) => iv as Uint8Array)) };
  }

  holds(messageId: Uint8Array, messageIv: Uint8Array): boolean {
    return rows(this.statements.holds, [messageId, messageIv]).length > 0;
  }

  close(): void {
    for (const statement of Object.values(this.statements)) statement.free();
    this.db.close();
  }
}

/** Enough rows of a real envelope's size for a B-tree of more than one level, as every segment has. */
const WARM_UP_ROWS = 256;
const WARM_UP_ENVELOPE_BYTES = 480;

/**
 * Loads sql.js and runs every step a history page takes (build, open, both page directions, the
 * replay lookup) on a scratch segment. V8 compiles WebAssembly functions lazily, at their first
 * call: a thread's first open and page of a real segment otherwise spend 100-125 ms on that.
 */
export async function warmEngine(): Promise<void> {
  const key = (seq: number) => Buffer.alloc(16, seq);
  const rows = Array.from({ length: WARM_UP_ROWS }, (_, i): SegmentRow => ({
    seq: i + 1, messageId: key(i), messageIv: key(i + WARM_UP_ROWS), usernameBlock: key(0), sentAt: i, receivedAt: i, envelope: Buffer.alloc(WARM_UP_ENVELOPE_BYTES, i),
  }));
  const image = await buildImage(rows);
  const db = await SegmentDatabase.open(image, { name: 'warm-up', firstSeq: 1, lastSeq: WARM_UP_ROWS, minSentAt: 0, maxSentAt: WARM_UP_ROWS - 1 });
  try {
    db.page('after', WARM_UP_ROWS / 2, 100);
    db.page('before', WARM_UP_ROWS / 2, 100);
    db.holds(key(1), key(2));
  } finally {
    db.close();
  }
}

/** The earlier layout's single `messages.sqlite`, read once to migrate it into sealed segments. */
export class LegacySnapshot {
  private readonly after: Statement;

  private constructor(private readonly db: Database) {
    this.after = db.prepare('SELECT seq, received_at, envelope FROM messages WHERE seq > ? ORDER BY seq ASC LIMIT ?');
  }

  static async open(image: Uint8Array): Promise<LegacySnapshot> {
    const db = await openImage(image, LEGACY_SCHEMA);
    const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
    if (check !== 'ok') {
      db.close();
      throw new SnapshotError(`integrity check failed (${String(check)})`);
    }
    return new LegacySnapshot(db);
  }

  latestSeq(): number {
    return Number(this.db.exec('SELECT COALESCE(MAX(seq), 0) FROM messages')[0].values[0][0]);
  }

  /** Up to `limit` records after `seq`, in seq order. */
  records(seq: number, limit: number): JournalRecord[] {
    return rows(this.after, [seq, limit]).map(([s, receivedAt, envelope]) => ({
      seq: Number(s), receivedAt: Number(receivedAt), envelope: Buffer.from(envelope as Uint8Array),
    }));
  }

  close(): void {
    this.after.free();
    this.db.close();
  }
}
