// Builds a large store quickly and honestly: every message is a real envelope sealed with the room's
// keys (a distinct id and IV each), and the segments are written by the store's own segment writer
// (buildSegmentImage + the same atomic write and file names, and each segment's key file), exactly as
// sealing would leave them.
// What is skipped is only the path a message takes to get there (socket, journal, worker), which the
// ingest figures measure on their own. Timestamps are spread over the past at `perDay` messages a
// day, the way a real history is, so only the newest segment is within the freshness window.
// Segments are independent of each other, so one worker thread per core seals and writes its share.
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { RoomParams, deriveRoomKeys, readEnvelopeHeader, sealMessage } from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { buildSegmentImage } from '../../src/server/database';
import { writeFileAtomic } from '../../src/server/files';
import type { JournalRecord } from '../../src/server/journal';
import { writeSegmentKeys } from '../../src/server/segmentKeys';
import { segmentName } from '../../src/server/segments';

export const TEXT_BYTES = 200;

/** One thread's share of a build; plain data, as it crosses to a worker thread. */
export interface BuildJob {
  readonly dataDir: string;
  readonly password: string;
  readonly roomId: string;
  readonly salt: string;
  readonly iterations: number;
  readonly count: number;
  readonly segmentMessages: number;
  /** Sender timestamp of seq 0, and the spacing of the seqs after it. */
  readonly startMs: number;
  readonly spacingMs: number;
  /** First seqs of the segments this thread writes. */
  readonly firsts: readonly number[];
}

/** Seals and writes the segments of `job` (run by buildWorker.ts in a thread of its own). */
export async function writeSegments(job: BuildJob): Promise<void> {
  const room: RoomParams = { roomId: Buffer.from(job.roomId, 'hex'), kdf: { name: 'pbkdf2-sha256', iterations: job.iterations, salt: Buffer.from(job.salt, 'hex') } };
  const keys = await deriveRoomKeys(job.password, room);
  const plaintext = encodeBody({ text: 'x'.repeat(TEXT_BYTES) });
  for (const first of job.firsts) {
    const records: JournalRecord[] = [];
    for (let seq = first; seq < first + job.segmentMessages && seq <= job.count; seq++) {
      const timestamp = Math.round(job.startMs + seq * job.spacingMs);
      records.push({ seq, receivedAt: timestamp, envelope: sealMessage(keys, { username: 'bench', plaintext, timestamp }).envelope });
    }
    const info = { firstSeq: first, lastSeq: records.at(-1)!.seq, minSentAt: records[0].receivedAt, maxSentAt: records.at(-1)!.receivedAt };
    const segment = { ...info, name: segmentName(info) };
    await writeFileAtomic(path.join(job.dataDir, segment.name), await buildSegmentImage(records));
    await writeSegmentKeys(job.dataDir, segment, {
      ids: Buffer.concat(records.map((r) => readEnvelopeHeader(r.envelope)!.messageId)),
      ivs: Buffer.concat(records.map((r) => readEnvelopeHeader(r.envelope)!.messageIv)),
    });
  }
}

export async function buildStore(dataDir: string, password: string, room: RoomParams, count: number, segmentMessages: number, perDay: number): Promise<void> {
  const spacingMs = 86_400_000 / perDay;
  const firsts = Array.from({ length: Math.ceil(count / segmentMessages) }, (_, i) => 1 + i * segmentMessages);
  const threads = Math.max(1, Math.min(os.cpus().length, firsts.length));
  const base = {
    dataDir, password, roomId: room.roomId.toString('hex'), salt: room.kdf.salt.toString('hex'), iterations: room.kdf.iterations,
    count, segmentMessages, startMs: Date.now() - count * spacingMs, spacingMs,
  };
  await Promise.all(Array.from({ length: threads }, (_, thread) => new Promise<void>((resolve, reject) => {
    const job: BuildJob = { ...base, firsts: firsts.filter((_, i) => i % threads === thread) };
    const worker = new Worker(path.join(__dirname, 'buildWorker.js'), { workerData: job });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a store build thread exited with ${code}`))));
  })));
}
