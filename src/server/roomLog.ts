// What a connection needs from wherever the room's messages live: the embedded store on this
// machine (store.ts), or a cluster's shared log in Redis (clusterLog.ts). Both keep the same rules:
// durable before the ack, one order of seqs, the same replay answers and the same history pages.
import type { StoredMessage } from '../protocol/wire';
import type { PresenceMember } from './presence';

/** What the server has checked about an envelope and the log needs to index it. */
export interface AcceptedEnvelope {
  readonly messageId: Buffer;
  readonly messageIv: Buffer;
  readonly envelope: Buffer;
}

/** Called once the message is durable (with its seq), or with the error that kept it from being so. */
export type Durable = (error: Error | null, seq: number) => void;

export type HistoryQuery = { before?: number; after?: number; limit: number };
export interface StoredPage {
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

/** The envelope is already in the log (found by the log's own atomic check, not by `holdsRecent`). */
export class ReplayError extends Error {
  constructor() {
    super('message already stored');
  }
}

/** The log's backing service cannot be reached: nothing was stored, the sender may try again. */
export class UnavailableError extends Error {}

export interface RoomLog {
  /** Whether the log delivers stored messages to the members itself (a cluster delivers every node's). */
  readonly fansOut: boolean;
  /** A replay check that needs no I/O; false means "not known here", and `append` checks again. */
  holdsRecent(messageId: Buffer, messageIv: Buffer): boolean;
  /** For an envelope outside the freshness window: whether it is stored. */
  holdsAnywhere(messageId: Buffer, messageIv: Buffer, timestamp: number): Promise<boolean>;
  /** Calls `done` once the message is durable; `sender` is left out when the log fans the message out. */
  append(message: AcceptedEnvelope, done: Durable, sender?: PresenceMember): void;
  /** The last seq the members of this server have been sent (or, embedded, that is durable). */
  latestSeq(): number;
  history(query: HistoryQuery, maxEncodedBytes: number): Promise<StoredPage>;
  close(): Promise<void>;
}

/** `{"seq":9007199254740991,"envelope":""},` */
const HISTORY_ITEM_OVERHEAD = 40;

/**
 * One page in ascending seq order from rows gathered nearest-first (oldest for `after`, newest
 * otherwise), one more than `limit` if there are more. Cutting at `limit` or at `maxEncodedBytes`
 * keeps the page contiguous with the requested seq. The byte budget counts each message as it will
 * appear in the frame (base64 plus its JSON), and the first message is always included.
 */
export function cutPage(rows: readonly { seq: number; envelope: Uint8Array }[], ascending: boolean, limit: number, maxEncodedBytes: number): StoredPage {
  const page: StoredMessage[] = [];
  let bytes = 0;
  for (const { seq, envelope } of rows.slice(0, limit)) {
    bytes += HISTORY_ITEM_OVERHEAD + Math.ceil(envelope.length / 3) * 4;
    if (page.length > 0 && bytes > maxEncodedBytes) break;
    page.push({ seq, envelope: Buffer.from(envelope.buffer, envelope.byteOffset, envelope.length) });
  }
  const hasMore = rows.length > page.length;
  return { messages: ascending ? page : page.reverse(), hasMore };
}
