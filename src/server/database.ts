// The queryable copy of the store: a sql.js (SQLite in WebAssembly) database held in memory, loaded
// from the last snapshot and brought up to date from the journal. It holds envelopes exactly as they
// arrived plus the columns the server indexes on; nothing in it is plaintext.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs, { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';
// eslint-disable-next-line no-restricted-imports -- until crypto has a reader for the envelope's unverified header
import { LAYOUT } from '../crypto/envelope';
import { USERNAME_BLOCK_BYTES } from '../crypto';
import type { StoredMessage } from '../protocol/wire';
import type { JournalRecord } from './journal';

const SCHEMA_VERSION = '1';
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '${SCHEMA_VERSION}');
  CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,
    message_id BLOB NOT NULL,
    iv BLOB NOT NULL,
    user_block BLOB NOT NULL,
    sent_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    envelope BLOB NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS messages_message_id ON messages (message_id);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_iv ON messages (iv);
`;

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

/** `{"seq":9007199254740991,"envelope":""},` */
const HISTORY_ITEM_OVERHEAD = 40;

export type HistoryQuery = { before?: number; after?: number; limit: number };
export interface StoredPage {
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

/** Thrown when snapshot bytes are not a database this server wrote. */
export class SnapshotError extends Error {}

export class MessageDatabase {
  /** Statements prepared once and reused: preparing costs more than running the replay check itself. */
  private readonly statements = new Map<string, Statement>();

  private constructor(private readonly db: Database) {}

  /** An empty database, or the one in `snapshot`, checked for integrity and schema. */
  static async open(snapshot?: Uint8Array): Promise<MessageDatabase> {
    const SQL = await loadEngine();
    let db: Database;
    try {
      db = new SQL.Database(snapshot);
    } catch (error) {
      throw new SnapshotError(`not a SQLite database (${(error as Error).message})`);
    }
    try {
      if (snapshot) {
        const check = db.exec('PRAGMA quick_check')[0]?.values[0]?.[0];
        if (check !== 'ok') throw new SnapshotError(`integrity check failed (${String(check)})`);
        const schema = db.exec("SELECT value FROM meta WHERE key = 'schema'")[0]?.values[0]?.[0];
        if (schema !== SCHEMA_VERSION) throw new SnapshotError(`unknown schema version ${String(schema)}`);
      }
      db.exec(SCHEMA);
      // Durability comes from the server's own journal; this database is a copy rebuilt from it, so
      // SQLite's rollback journal only has to undo a failed batch, which it can do in memory.
      db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF');
    } catch (error) {
      db.close();
      throw error instanceof SnapshotError ? error : new SnapshotError((error as Error).message);
    }
    return new MessageDatabase(db);
  }

  /** Inserts journal records in one transaction; all or none. */
  insert(records: readonly JournalRecord[]): void {
    const statement = this.statement(
      'INSERT INTO messages (seq, message_id, iv, user_block, sent_at, received_at, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.exec('BEGIN');
    try {
      for (const { seq, receivedAt, envelope } of records) {
        statement.run([
          seq,
          envelope.subarray(LAYOUT.messageId, LAYOUT.timestamp),
          envelope.subarray(LAYOUT.messageIv, LAYOUT.ciphertext),
          envelope.subarray(LAYOUT.username, LAYOUT.username + USERNAME_BLOCK_BYTES),
          Number(envelope.readBigUInt64BE(LAYOUT.timestamp)),
          receivedAt,
          envelope,
        ]);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Whether a message with this id or this IV is stored. */
  contains(messageId: Buffer, iv: Buffer): boolean {
    return this.rows('SELECT 1 FROM messages WHERE message_id = ? OR iv = ? LIMIT 1', [messageId, iv]).length > 0;
  }

  latestSeq(): number {
    return Number(this.rows('SELECT COALESCE(MAX(seq), 0) FROM messages', [])[0][0]);
  }

  count(): number {
    return Number(this.rows('SELECT COUNT(*) FROM messages', [])[0][0]);
  }

  /**
   * One page in ascending seq order. Rows come nearest-first (oldest for `after`, newest otherwise),
   * so cutting the page short at `limit` or at `maxEncodedBytes` keeps it contiguous with the
   * requested seq; one row more than asked tells `hasMore`. The byte budget counts each message as it
   * will appear in the frame (base64 plus its JSON), and the first message is always included.
   */
  history({ before, after, limit }: HistoryQuery, maxEncodedBytes: number): StoredPage {
    const rows = after !== undefined
      ? this.rows('SELECT seq, envelope FROM messages WHERE seq > ? ORDER BY seq ASC LIMIT ?', [after, limit + 1])
      : this.rows('SELECT seq, envelope FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?', [before ?? Number.MAX_SAFE_INTEGER, limit + 1]);
    const page: StoredMessage[] = [];
    let bytes = 0;
    for (const [seq, envelope] of rows.slice(0, limit)) {
      bytes += HISTORY_ITEM_OVERHEAD + Math.ceil((envelope as Uint8Array).length / 3) * 4;
      if (page.length > 0 && bytes > maxEncodedBytes) break;
      page.push({ seq: Number(seq), envelope: Buffer.from(envelope as Uint8Array) });
    }
    const hasMore = rows.length > page.length;
    return { messages: after !== undefined ? page : page.reverse(), hasMore };
  }

  /** The whole database as a SQLite file image. */
  export(): Uint8Array {
    return this.db.export();
  }

  close(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.db.close();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private rows(sql: string, params: SqlValue[]): SqlValue[][] {
    const statement = this.statement(sql);
    try {
      statement.bind(params);
      const rows: SqlValue[][] = [];
      while (statement.step()) rows.push(statement.get());
      return rows;
    } finally {
      statement.reset();
    }
  }
}
