// Deleted messages in a cluster: the overlay of src/server/tombstones.ts kept in Redis, so that every
// node serves a tombstone in place of what it deletes, whichever node stored it and whenever a node
// started. A tombstone is stored (atomically, with the room's capacity checked) before it is
// appended to the log, as a single server writes tombstones.json first; every history page asks
// Redis which of its seqs a tombstone replaces.
import type Redis from 'ioredis';
import type { StoredPage } from '../roomLog';
import { MAX_TOMBSTONES, TombstoneOverlay, TombstonesFullError, overlaid } from '../tombstones';
import { ADD_TOMBSTONE, RoomKeys, TOMBSTONES_OF } from './redis';

export class ClusterTombstones implements TombstoneOverlay {
  /** `tracked`: the log's wrapper, which counts a command until it settles and makes its failure `unavailable`. */
  constructor(
    private readonly tracked: <T>(command: Promise<T>) => Promise<T>,
    private readonly commands: Redis,
    private readonly keys: RoomKeys,
  ) {}

  async add(replaces: readonly number[], envelope: Buffer): Promise<void> {
    const added = await this.tracked(ADD_TOMBSTONE.run(this.commands, [this.keys.deleted, this.keys.tombstones], [MAX_TOMBSTONES, envelope, ...replaces]));
    if (added === 0) throw new TombstonesFullError();
  }

  async apply(page: StoredPage, ascending: boolean, maxEncodedBytes: number): Promise<StoredPage> {
    if (page.messages.length === 0) return page;
    const seqs = page.messages.map((message) => message.seq);
    const found = await this.tracked(TOMBSTONES_OF.run(this.commands, [this.keys.deleted, this.keys.tombstones], seqs)) as (Buffer | null)[];
    const replaced = new Map(seqs.map((seq, i) => [seq, found[i] ?? undefined]));
    return overlaid(page, ascending, maxEncodedBytes, (seq) => replaced.get(seq));
  }
}
