// The append-only journal of accepted envelopes: what makes a message durable before its ack.
//
// Record := u32 BE payload length | u32 BE CRC-32 of the payload | payload
// Payload := u64 BE seq | u64 BE received-at (ms since the epoch) | envelope bytes (as received)
//
// Writes are group commits: every record accepted while the previous write was in flight goes out in
// one write() followed by one fdatasync(). The journal is split into numbered files
// (journal-00000001.log, ...) so that sealing can cover whole files and drop them.
import * as fs from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
// Not through the index: the store's worker threads read journals (see eslint.config.mjs).
import { MAX_ENVELOPE_V3_BYTES, MIN_ENVELOPE_BYTES } from '../crypto/envelopeHeader';

const HEADER_BYTES = 8;
const FIXED_PAYLOAD_BYTES = 16;
const MIN_PAYLOAD_BYTES = FIXED_PAYLOAD_BYTES + MIN_ENVELOPE_BYTES;
const MAX_PAYLOAD_BYTES = FIXED_PAYLOAD_BYTES + MAX_ENVELOPE_V3_BYTES;
const JOURNAL_PATTERN = /^journal-(\d{8})\.log$/;

export interface JournalRecord {
  readonly seq: number;
  readonly receivedAt: number;
  readonly envelope: Buffer;
}

/** A u64 BE from a safe integer, as two u32 halves: no BigInt per record. */
function writeU64(out: Buffer, value: number, offset: number): void {
  out.writeUInt32BE(Math.floor(value / 2 ** 32), offset);
  out.writeUInt32BE(value >>> 0, offset + 4);
}

function readU64(bytes: Buffer, offset: number): number {
  return bytes.readUInt32BE(offset) * 2 ** 32 + bytes.readUInt32BE(offset + 4);
}

/** One group commit's records in one buffer, each written in place. */
export function encodeRecords(records: readonly JournalRecord[]): Buffer {
  let total = 0;
  for (const record of records) total += HEADER_BYTES + FIXED_PAYLOAD_BYTES + record.envelope.length;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const record of records) {
    const payloadLength = FIXED_PAYLOAD_BYTES + record.envelope.length;
    const payload = offset + HEADER_BYTES;
    out.writeUInt32BE(payloadLength, offset);
    writeU64(out, record.seq, payload);
    writeU64(out, record.receivedAt, payload + 8);
    record.envelope.copy(out, payload + FIXED_PAYLOAD_BYTES);
    out.writeUInt32BE(crc32(out.subarray(payload, payload + payloadLength)), offset + 4);
    offset = payload + payloadLength;
  }
  return out;
}

export function encodeRecord(record: JournalRecord): Buffer {
  return encodeRecords([record]);
}

/**
 * Where reading stopped. `torn`: the bad record runs to the end of the file (or only zero bytes
 * follow it), which is what a crash in the middle of an append leaves; it was never acknowledged.
 * `corrupt`: intact-looking bytes follow a bad record, so something damaged the file after the fact.
 */
export interface JournalDamage {
  readonly kind: 'torn' | 'corrupt';
  readonly offset: number;
}

export interface JournalScan {
  readonly records: JournalRecord[];
  /** Length of the valid prefix. */
  readonly validBytes: number;
  readonly damage: JournalDamage | null;
}

function onlyZeros(bytes: Buffer): boolean {
  return bytes.every((byte) => byte === 0);
}

export function scanJournal(bytes: Buffer): JournalScan {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < HEADER_BYTES) return { records, validBytes: offset, damage: { kind: 'torn', offset } };
    const length = bytes.readUInt32BE(offset);
    const end = offset + HEADER_BYTES + length;
    const sane = length >= MIN_PAYLOAD_BYTES && length <= MAX_PAYLOAD_BYTES;
    if (!sane || end > bytes.length || crc32(bytes.subarray(offset + HEADER_BYTES, end)) !== bytes.readUInt32BE(offset + 4)) {
      const torn = (sane && end >= bytes.length) || onlyZeros(bytes.subarray(offset));
      return { records, validBytes: offset, damage: { kind: torn ? 'torn' : 'corrupt', offset } };
    }
    records.push({
      seq: readU64(bytes, offset + HEADER_BYTES),
      receivedAt: readU64(bytes, offset + HEADER_BYTES + 8),
      envelope: Buffer.from(bytes.subarray(offset + HEADER_BYTES + FIXED_PAYLOAD_BYTES, end)),
    });
    offset = end;
  }
  return { records, validBytes: offset, damage: null };
}

export interface JournalFile {
  readonly number: number;
  readonly file: string;
}

export function journalFile(dataDir: string, number: number): JournalFile {
  return { number, file: path.join(dataDir, `journal-${String(number).padStart(8, '0')}.log`) };
}

/** The journal files in a data directory, oldest first. */
export function listJournals(dataDir: string): JournalFile[] {
  return fs.readdirSync(dataDir)
    .map((name) => JOURNAL_PATTERN.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ number: Number(match[1]), file: path.join(dataDir, match[0]) }))
    .sort((a, b) => a.number - b.number);
}

/** One open journal file. Appends are serialised by the caller (the store's commit loop). */
export class JournalWriter {
  /** Bytes of complete, durable records: what a failed append is cut back to. */
  private size = 0;

  private constructor(readonly journal: JournalFile, private readonly handle: fs.promises.FileHandle) {}

  /** Opens a new, empty journal file; it must not exist yet. */
  static async create(journal: JournalFile): Promise<JournalWriter> {
    return new JournalWriter(journal, await fs.promises.open(journal.file, 'wx', 0o600));
  }

  /**
   * One group commit: the records are durable when this resolves. When it fails (a full disk) the
   * journal file is cut back to its last complete record, so a later append does not follow a partial
   * one, which a restart would read as damage; if even that fails, the error is the truncate's.
   */
  async append(records: Buffer): Promise<void> {
    try {
      for (let written = 0; written < records.length;) {
        written += (await this.handle.write(records, written)).bytesWritten;
      }
      await this.handle.datasync();
    } catch (error) {
      await this.handle.truncate(this.size);
      throw error;
    }
    this.size += records.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
