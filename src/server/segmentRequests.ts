// What the server's event loop asks of a segment worker thread (segmentWorker.ts), and the answers.
// Everything crossing the thread boundary is plain data: numbers, strings, byte arrays.
import type { StoredRow } from './database';
import type { SegmentKeys } from './segmentKeys';
import type { SegmentInfo } from './segments';

/** How sealed segments are cut: a segment ends at whichever bound it reaches first. */
export interface SegmentBounds {
  readonly segmentMessages: number;
  readonly segmentBytes: number;
}

export type SegmentRequest =
  /** Seal seqs firstSeq..lastSeq (`count` messages), read back from these fsync'd journal files, into new segments. */
  | { kind: 'seal'; dataDir: string; journals: string[]; firstSeq: number; lastSeq: number; count: number; bounds: SegmentBounds }
  /** Copy the earlier layout's snapshot, from seq afterSeq on, into new segments. */
  | { kind: 'migrate'; dataDir: string; snapshot: string; afterSeq: number; bounds: SegmentBounds }
  /** Up to `limit` rows of one segment nearest to `from` (exclusive), nearest first. */
  | { kind: 'page'; dataDir: string; segment: SegmentInfo; direction: 'after' | 'before'; from: number; limit: number }
  /** Every message id and IV of one segment, read from the segment itself (its key file missing or damaged). */
  | { kind: 'keys'; dataDir: string; segment: SegmentInfo }
  /** Start sql.js and run a page's steps once, then read this segment's file (not open it): the first page after a start then waits for neither. */
  | { kind: 'warm'; dataDir: string; segment: SegmentInfo }
  /** Whether any of these segments holds this message id or IV. */
  | { kind: 'holds'; dataDir: string; segments: SegmentInfo[]; messageId: Uint8Array; messageIv: Uint8Array };

export interface SegmentAnswers {
  seal: SegmentInfo[];
  migrate: { segments: SegmentInfo[]; latestSeq: number };
  page: StoredRow[];
  keys: SegmentKeys;
  holds: boolean;
  warm: null;
}

export type SegmentReply =
  | { id: number; ok: true; value: SegmentAnswers[SegmentRequest['kind']] }
  /** `damaged`: the database file read is not one this server wrote (or no longer intact). */
  | { id: number; ok: false; message: string; damaged: boolean };
