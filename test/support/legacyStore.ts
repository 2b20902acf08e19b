// A data directory as protocol version 1 left it: a version-1 room.json (no epochs) and the store's
// earlier layout (one `messages.sqlite` holding every message, schema 1, plus journal files
// continuing it), written the way that server wrote them, so both migrations can be tested against
// real files. Envelopes are really sealed (version 1) with the password-derived room keys.
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs from 'sql.js';
import { RoomKeys, createRoomParams, deriveRoomKeys, peekMessageId, roomVerifier, sealMessage } from '../../src/crypto';
import { LAYOUT } from '../../src/crypto/envelope';
import { encodeBody } from '../../src/protocol/body';
import { encodeRecord, journalFile, listJournals } from '../../src/server/journal';
import { ROOM_FILE } from '../../src/server/room';
import { LEGACY_SNAPSHOT_FILE } from '../../src/server/store';
import { TEST_ITERATIONS, TEST_PASSWORD } from './testServer';

const SCHEMA_1 = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('schema', '1');
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY, message_id BLOB NOT NULL, iv BLOB NOT NULL, user_block BLOB NOT NULL,
    sent_at INTEGER NOT NULL, received_at INTEGER NOT NULL, envelope BLOB NOT NULL
  );
  CREATE UNIQUE INDEX messages_message_id ON messages (message_id);
  CREATE UNIQUE INDEX messages_iv ON messages (iv);
`;

/** room.json as the version-1 server wrote it; returns the room keys, which are epoch 0's after migration. */
export async function writeV1Room(dataDir: string, password = TEST_PASSWORD, iterations = TEST_ITERATIONS): Promise<RoomKeys> {
  const room = createRoomParams(iterations);
  const keys = await deriveRoomKeys(password, room);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, ROOM_FILE), `${JSON.stringify({
    version: 1,
    roomId: room.roomId.toString('base64'),
    kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: room.kdf.salt.toString('base64') },
    verifier: roomVerifier(keys).toString('base64'),
  }, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** A version-1 envelope as a version-1 client sealed it. */
export function sealedV1(keys: RoomKeys, seq: number, timestamp: number): Buffer {
  return sealMessage(keys, { username: 'legacy', plaintext: encodeBody({ text: `legacy ${seq}` }), timestamp }).envelope;
}

/**
 * Creates the room in `dataDir`, then a snapshot of seqs 1..inSnapshot and one journal file with the
 * next `inJournal` seqs. Returns message id (hex) → seq of everything written.
 */
export async function writeLegacyStore(dataDir: string, inSnapshot: number, inJournal: number): Promise<Map<string, number>> {
  const keys = await writeV1Room(dataDir);
  for (const journal of listJournals(dataDir)) fs.rmSync(journal.file);
  const written = new Map<string, number>();
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec(SCHEMA_1);
  const insert = db.prepare('INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)');
  const start = Date.now() - (inSnapshot + inJournal) * 1000;
  db.exec('BEGIN');
  for (let seq = 1; seq <= inSnapshot; seq++) {
    const timestamp = start + seq * 1000;
    const envelope = sealedV1(keys, seq, timestamp);
    insert.run([seq, envelope.subarray(LAYOUT.messageId, LAYOUT.timestamp), envelope.subarray(LAYOUT.messageIv, LAYOUT.ciphertext),
      envelope.subarray(LAYOUT.username, LAYOUT.messageIv), timestamp, timestamp, envelope]);
    written.set(peekMessageId(envelope)!.toString('hex'), seq);
  }
  db.exec('COMMIT');
  insert.free();
  fs.writeFileSync(path.join(dataDir, LEGACY_SNAPSHOT_FILE), db.export());
  db.close();
  const records = Array.from({ length: inJournal }, (_, i) => {
    const seq = inSnapshot + 1 + i;
    const envelope = sealedV1(keys, seq, start + seq * 1000);
    written.set(peekMessageId(envelope)!.toString('hex'), seq);
    return encodeRecord({ seq, receivedAt: start + seq * 1000, envelope });
  });
  if (records.length > 0) fs.writeFileSync(journalFile(dataDir, 7).file, Buffer.concat(records));
  return written;
}
