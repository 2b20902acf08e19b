// The replay check's in-memory half: the message ids and IVs of every message whose sender timestamp
// could still pass the freshness check, so that an envelope which passes it is checked against a
// Set, never against the history on disk.
//
// Why that is enough (docs/PROTOCOL.md, "Replay"): a replayed envelope is byte for byte the stored
// one, so it carries the stored one's timestamp t. The server refuses every envelope whose t is more
// than the freshness window from its clock. So if t is inside the window, the stored copy's t is too,
// and every stored message with t inside the window (plus a margin for clock steps) is kept here.
// Replays with t outside the window are refused as stale anyway; the store looks them up in the
// segments whose timestamp range holds t only to answer `replay` rather than `stale`.
//
// Keys are the 16 bytes as a latin1 string: a one-byte string per key, hashed by V8 natively.
// They are spread over several Sets (KeySet): a Set that outgrows its table copies every entry
// into a new one within a single add, which at 262,144 keys took 41-57 ms on the event loop.

/** Sets the keys are spread over, by their first byte (random in ids and IVs). */
const SHARDS = 16;

/** A Set of keys whose growth copies a sixteenth of them at a time. */
export class KeySet {
  private readonly shards = Array.from({ length: SHARDS }, () => new Set<string>());

  add(key: string): void {
    this.shardOf(key).add(key);
  }

  has(key: string): boolean {
    return this.shardOf(key).has(key);
  }

  delete(key: string): void {
    this.shardOf(key).delete(key);
  }

  get size(): number {
    return this.shards.reduce((sum, shard) => sum + shard.size, 0);
  }

  private shardOf(key: string): Set<string> {
    return this.shards[key.charCodeAt(0) % SHARDS];
  }
}

/** Keys of one sealed segment, dropped together once its newest timestamp leaves the window. */
interface SealedKeys {
  readonly maxSentAt: number;
  readonly ids: string[];
  readonly ivs: string[];
}

export const keyOf = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');

/** The 16-byte entries of `bytes` as keys, each also added to `into`. */
function splitKeys(bytes: Uint8Array, into: KeySet): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const keys = new Array<string>(bytes.length / 16);
  for (let i = 0; i < keys.length; i++) {
    keys[i] = buffer.toString('latin1', i * 16, i * 16 + 16);
    into.add(keys[i]);
  }
  return keys;
}

export class RecentKeys {
  private readonly ids = new KeySet();
  private readonly ivs = new KeySet();
  private sealed: SealedKeys[] = [];

  has(messageId: Uint8Array, messageIv: Uint8Array): boolean {
    return this.ids.has(keyOf(messageId)) || this.ivs.has(keyOf(messageIv));
  }

  /**
   * A message on its way to the journal or not sealed yet: kept until it is sealed and old. Returns
   * its keys, for `sealedAs` later, so sealing does not read the envelopes again.
   */
  add(messageId: Uint8Array, messageIv: Uint8Array): { readonly id: string; readonly iv: string } {
    const keys = { id: keyOf(messageId), iv: keyOf(messageIv) };
    this.ids.add(keys.id);
    this.ivs.add(keys.iv);
    return keys;
  }

  /** A message that never became durable (refused on a full disk): its id and IV may come again. */
  forget(keys: { readonly id: string; readonly iv: string }): void {
    this.ids.delete(keys.id);
    this.ivs.delete(keys.iv);
  }

  /** Keys already held (added while unsealed), now belonging to a sealed segment. */
  sealedAs(maxSentAt: number, ids: string[], ivs: string[]): void {
    this.sealed.push({ maxSentAt, ids, ivs });
  }

  /** Keys of a sealed segment read at start: `ids` and `ivs` are 16-byte entries concatenated. */
  addSealed(maxSentAt: number, ids: Uint8Array, ivs: Uint8Array): void {
    const entry = { maxSentAt, ids: splitKeys(ids, this.ids), ivs: splitKeys(ivs, this.ivs) };
    this.sealed.push(entry);
  }

  /** Forgets sealed segments whose newest sender timestamp is older than `horizon`. */
  expire(horizon: number): void {
    if (!this.sealed.some((entry) => entry.maxSentAt < horizon)) return;
    for (const entry of this.sealed.filter((e) => e.maxSentAt < horizon)) {
      for (const id of entry.ids) this.ids.delete(id);
      for (const iv of entry.ivs) this.ivs.delete(iv);
    }
    this.sealed = this.sealed.filter((entry) => entry.maxSentAt >= horizon);
  }

  get size(): number {
    return this.ids.size;
  }
}
