// The replay keys of one sealed segment in a small file beside it, so that a start reads the keys of
// the segments within the replay window as plain bytes, without starting sql.js or reading a
// segment's rows, and reads nothing of the segments outside the window.
//
//   segment-….keys := "SCK1" | u32 BE count | u32 BE CRC-32 of the key bytes | key bytes
//   key bytes      := count × 16-byte message id, then count × 16-byte IV (both in seq order)
//
// The file repeats what its segment (same name, `.keys` for `.sqlite`) holds and is written right
// after it, atomically. So it never decides anything alone: a missing one (a crash between the two
// writes, or a segment from before key files) or one that is not intact is read again from the
// segment by the next start that needs it, and written again.
import * as fs from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
import { writeFileAtomic } from './files';
import type { SegmentInfo } from './segments';

export const KEY_BYTES = 16;
const MAGIC = Buffer.from('SCK1', 'latin1');
const HEADER_BYTES = MAGIC.length + 8;

/** Message ids and IVs of one segment, each list its 16-byte entries concatenated in seq order. */
export interface SegmentKeys {
  readonly ids: Uint8Array;
  readonly ivs: Uint8Array;
}

export function keysFileName(segment: SegmentInfo): string {
  return segment.name.replace(/\.sqlite$/, '.keys');
}

export function encodeSegmentKeys({ ids, ivs }: SegmentKeys): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + ids.length + ivs.length);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(ids.length / KEY_BYTES, MAGIC.length);
  out.set(ids, HEADER_BYTES);
  out.set(ivs, HEADER_BYTES + ids.length);
  out.writeUInt32BE(crc32(out.subarray(HEADER_BYTES)), MAGIC.length + 4);
  return out;
}

/** The keys, or null when the bytes are not an intact key file of a segment holding `segment`'s seqs. */
export function decodeSegmentKeys(bytes: Buffer, segment: SegmentInfo): SegmentKeys | null {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const count = bytes.readUInt32BE(MAGIC.length);
  // Seqs may have gaps (a batch refused on a full disk), never more messages than the range.
  if (count < 1 || count > segment.lastSeq - segment.firstSeq + 1 || bytes.length !== HEADER_BYTES + 2 * count * KEY_BYTES) return null;
  const keys = bytes.subarray(HEADER_BYTES);
  if (crc32(keys) !== bytes.readUInt32BE(MAGIC.length + 4)) return null;
  return { ids: keys.subarray(0, count * KEY_BYTES), ivs: keys.subarray(count * KEY_BYTES) };
}

/** The segment's keys from its key file, or null when there is none or it is not intact. */
export async function readSegmentKeys(dataDir: string, segment: SegmentInfo): Promise<SegmentKeys | null> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(path.join(dataDir, keysFileName(segment)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return decodeSegmentKeys(bytes, segment);
}

export async function writeSegmentKeys(dataDir: string, segment: SegmentInfo, keys: SegmentKeys): Promise<void> {
  await writeFileAtomic(path.join(dataDir, keysFileName(segment)), encodeSegmentKeys(keys));
}
