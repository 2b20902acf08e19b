// Builds a large store quickly and honestly: every message is a real envelope sealed with the room's
// keys (a distinct id and IV each), and the segments are written by the store's own segment writer
// (buildSegmentImage + the same atomic write and file names), exactly as sealing would leave them.
// What is skipped is only the path a message takes to get there (socket, journal, worker), which the
// ingest figures measure on their own. Timestamps are spread over the past at `perDay` messages a
// day, the way a real history is, so only the newest segment is within the freshness window.
import * as path from 'path';
import { RoomKeys, sealMessage } from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { buildSegmentImage } from '../../src/server/database';
import { writeFileAtomic } from '../../src/server/files';
import type { JournalRecord } from '../../src/server/journal';
import { segmentName } from '../../src/server/segments';

export const TEXT_BYTES = 200;

export async function buildStore(dataDir: string, keys: RoomKeys, count: number, segmentMessages: number, perDay: number): Promise<void> {
  const plaintext = encodeBody({ text: 'x'.repeat(TEXT_BYTES) });
  const spacingMs = 86_400_000 / perDay;
  const start = Date.now() - count * spacingMs;
  for (let first = 1; first <= count; first += segmentMessages) {
    const records: JournalRecord[] = [];
    for (let seq = first; seq < first + segmentMessages && seq <= count; seq++) {
      const timestamp = Math.round(start + seq * spacingMs);
      records.push({ seq, receivedAt: timestamp, envelope: sealMessage(keys, { username: 'bench', plaintext, timestamp }).envelope });
    }
    const info = { firstSeq: first, lastSeq: records.at(-1)!.seq, minSentAt: records[0].receivedAt, maxSentAt: records.at(-1)!.receivedAt };
    await writeFileAtomic(path.join(dataDir, segmentName(info)), await buildSegmentImage(records));
  }
}
