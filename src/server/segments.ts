// Sealed segments: the room's history as a sequence of sql.js database files, each holding a
// contiguous run of seqs, written once (atomically) and never rewritten. The file name carries what
// the server needs to know about a segment without opening it: its seq range, for history pages,
// and the range of sender timestamps in it, for the replay check of old envelopes.
//
//   segment-<first seq, 12 digits>-<last seq, 12 digits>-<min sent-at, 15 digits>-<max sent-at, 15 digits>.sqlite
//
// Beside each, the same name with `.keys` holds its replay keys (segmentKeys.ts).
import * as fs from 'fs';
import * as path from 'path';

export interface SegmentInfo {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Smallest and largest sender timestamp (ms since the epoch) in the segment. */
  readonly minSentAt: number;
  readonly maxSentAt: number;
  /** File name inside the data directory. */
  readonly name: string;
}

const SEGMENT_PATTERN = /^segment-(\d{12})-(\d{12})-(\d{15})-(\d{15})\.sqlite$/;
/** What an interrupted atomic write of a segment or its key file leaves: never renamed, so never part of the store. */
const TEMPORARY_PATTERN = /^segment-.*\.(sqlite|keys)\.tmp$/;

export function segmentName(range: Omit<SegmentInfo, 'name'>): string {
  const pad = (value: number, digits: number) => String(value).padStart(digits, '0');
  return `segment-${pad(range.firstSeq, 12)}-${pad(range.lastSeq, 12)}-${pad(range.minSentAt, 15)}-${pad(range.maxSentAt, 15)}.sqlite`;
}

export function parseSegmentName(name: string): SegmentInfo | null {
  const match = SEGMENT_PATTERN.exec(name);
  if (!match) return null;
  const [firstSeq, lastSeq, minSentAt, maxSentAt] = match.slice(1).map(Number);
  if (firstSeq < 1 || lastSeq < firstSeq || maxSentAt < minSentAt) return null;
  return { firstSeq, lastSeq, minSentAt, maxSentAt, name };
}

/** The sealed segments of a data directory in seq order. */
export function listSegments(dataDir: string): SegmentInfo[] {
  return fs.readdirSync(dataDir)
    .map(parseSegmentName)
    .filter((info): info is SegmentInfo => info !== null)
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Leftovers of writes a crash or a stop interrupted before their rename. */
export function temporarySegmentFiles(dataDir: string): string[] {
  return fs.readdirSync(dataDir).filter((name) => TEMPORARY_PATTERN.test(name)).map((name) => path.join(dataDir, name));
}

/** Where the seq ranges of `segments` (in order) leave a gap or overlap, if anywhere: a refusal. */
export function continuityProblem(segments: readonly SegmentInfo[]): string | null {
  let expected = 1;
  for (const segment of segments) {
    if (segment.firstSeq !== expected) return `${segment.name} starts at seq ${segment.firstSeq}, expected ${expected}`;
    expected = segment.lastSeq + 1;
  }
  return null;
}

/** The segment holding `seq`, by binary search over segments in seq order. */
export function segmentHolding(segments: readonly SegmentInfo[], seq: number): SegmentInfo | undefined {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle];
    if (seq < segment.firstSeq) high = middle - 1;
    else if (seq > segment.lastSeq) low = middle + 1;
    else return segment;
  }
  return undefined;
}
