// Deleted messages: a member's signed tombstone stands in for the message it deletes and for that
// message's edits. Segments are written once and the journal is append-only, so the stored bytes of
// a deleted message are not rewritten; this overlay is consulted for every history page instead, and
// a deleted message is never served again: each seq a tombstone replaces answers with the tombstone's
// envelope. tombstones.json holds the overlay, rewritten whole and atomically for every delete before
// the tombstone is appended to the log, so no crash leaves a stored tombstone that replaces nothing
// (deletes are rare; docs/SECURITY.md says what stays on disk).
import * as fs from 'fs';
import * as path from 'path';
import * as v from 'valibot';
import { MAX_ENVELOPE_V3_BYTES, MIN_ENVELOPE_BYTES } from '../crypto';
import { base64Bytes, encodeBase64 } from '../protocol/base64';
import { check, integer, list } from '../protocol/check';
import { MAX_DELETED_SEQS } from '../protocol/limits';
import { StartError } from './errors';
import { writeFileAtomic } from './files';
import { StoredPage, cutPage } from './roomLog';

export const TOMBSTONES_FILE = 'tombstones.json';
/** Most tombstones one room keeps: the file stays a few tens of MiB at most. */
export const MAX_TOMBSTONES = 100_000;

const TombstonesFileSchema = v.object({
  version: v.literal(1, 'must be 1'),
  tombstones: list(v.object({
    /** The seqs it replaces: the deleted message and its edits. */
    replaces: list(integer(1), MAX_DELETED_SEQS),
    envelope: base64Bytes(MIN_ENVELOPE_BYTES, MAX_ENVELOPE_V3_BYTES),
  }, 'must be an object'), MAX_TOMBSTONES),
}, 'must be an object');
type Tombstone = v.InferOutput<typeof TombstonesFileSchema>['tombstones'][number];

/** A room keeps MAX_TOMBSTONES already: the member hears `storage-full`. */
export class TombstonesFullError extends Error {
  constructor() {
    super(`the room keeps ${MAX_TOMBSTONES} tombstones already`);
  }
}

/** Where a room's tombstones are kept: tombstones.json for a single server, Redis for a cluster (cluster/tombstones.ts). */
export interface TombstoneOverlay {
  /**
   * Resolves once the tombstone replaces `replaces` durably; from then on pages serve it in their
   * place. Rejects with TombstonesFullError when the room keeps as many as it may.
   */
  add(replaces: readonly number[], envelope: Buffer): Promise<void>;
  /** The page with every replaced message's envelope swapped for its tombstone's. */
  apply(page: StoredPage, ascending: boolean, maxEncodedBytes: number): Promise<StoredPage>;
}

/**
 * `page` with the envelopes `replacement` names swapped in, cut again to the frame's budget (a
 * tombstone may be longer than what it replaces), the far end going first.
 */
export function overlaid(page: StoredPage, ascending: boolean, maxEncodedBytes: number, replacement: (seq: number) => Buffer | undefined): StoredPage {
  const swapped = page.messages.map((message) => ({ seq: message.seq, envelope: replacement(message.seq) }));
  if (swapped.every((message) => message.envelope === undefined)) return page;
  const rows = swapped.map((message, i) => ({ seq: message.seq, envelope: message.envelope ?? page.messages[i].envelope }));
  const nearestFirst = ascending ? rows : rows.reverse();
  const cut = cutPage(nearestFirst, ascending, nearestFirst.length, maxEncodedBytes);
  return { messages: cut.messages, hasMore: page.hasMore || cut.hasMore };
}

export class Tombstones implements TombstoneOverlay {
  /** Replaced seq → the tombstone's envelope. */
  private readonly replaced = new Map<number, Buffer>();
  /** The last write, settled either way: the next one begins after it. */
  private written: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string, private readonly tombstones: Tombstone[]) {
    for (const tombstone of tombstones) this.index(tombstone);
  }

  /** Reads tombstones.json (none yet: an empty overlay); a file that does not parse refuses the start. */
  static async open(dataDir: string): Promise<Tombstones> {
    const file = path.join(dataDir, TOMBSTONES_FILE);
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Tombstones(file, []);
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const checked = check(TombstonesFileSchema, value);
    if (!checked.ok) throw new StartError('store-corrupt', `${file} is not a valid tombstones file (${checked.error}); it was left as it is. Refusing to start: deleted messages would be served again.`);
    return new Tombstones(file, checked.value.tombstones);
  }

  /** Resolves once the tombstone replaces `replaces` on disk; from then on pages serve it in their place. */
  async add(replaces: readonly number[], envelope: Buffer): Promise<void> {
    const tombstone: Tombstone = { replaces: [...replaces], envelope };
    const write = this.written.then(async () => {
      if (this.tombstones.length >= MAX_TOMBSTONES) throw new TombstonesFullError();
      const next = [...this.tombstones, tombstone];
      const json = { version: 1, tombstones: next.map((t) => ({ replaces: t.replaces, envelope: encodeBase64(t.envelope) })) };
      await writeFileAtomic(this.file, Buffer.from(JSON.stringify(json)));
      this.tombstones.push(tombstone);
      this.index(tombstone);
    });
    this.written = write.catch(() => undefined);
    return write;
  }

  apply(page: StoredPage, ascending: boolean, maxEncodedBytes: number): Promise<StoredPage> {
    return Promise.resolve(overlaid(page, ascending, maxEncodedBytes, (seq) => this.replaced.get(seq)));
  }

  private index(tombstone: Tombstone): void {
    for (const seq of tombstone.replaces) this.replaced.set(seq, tombstone.envelope);
  }
}
