// The one record of which messages this client has already handled. Live broadcasts, history pages,
// catch-up after a reconnect and answers to our own sends all pass through it, so a message is
// shown at most once. It also tracks the range of sequence numbers seen, for catch-up and paging.

export type Verdict =
  | { readonly kind: 'new' }
  | { readonly kind: 'duplicate' }
  /** First sighting of a message this client sent: it is stored, under this seq. */
  | { readonly kind: 'own'; readonly localId: string };

interface Seen {
  /** Set for messages this client sent. */
  readonly localId?: string;
  seq?: number;
}

export class MessageLedger {
  private readonly seen = new Map<string, Seen>();
  private newest = 0;
  private oldest: number | undefined;

  /** Highest seq seen: catch-up asks for everything after it. 0 before any. */
  get lastSeq(): number {
    return this.newest;
  }

  /** Lowest seq seen: "load older" asks for what is before it. */
  get oldestSeq(): number | undefined {
    return this.oldest;
  }

  /** A message that verified counts towards the range; one that fails to open says nothing about it. */
  noteSeq(seq: number): void {
    this.newest = Math.max(this.newest, seq);
    this.oldest = Math.min(this.oldest ?? seq, seq);
  }

  /** Registers an envelope of ours before the server confirms it, so its echo is known as ours. */
  expectOwn(wireId: string, localId: string): void {
    this.seen.set(wireId, { localId });
  }

  /** The server acknowledged our envelope under seq. */
  confirmOwn(wireId: string, seq: number): void {
    const entry = this.seen.get(wireId);
    if (entry) entry.seq = seq;
  }

  /** The seq a message handled here was stored under, once known. */
  seqOf(wireId: string): number | undefined {
    return this.seen.get(wireId)?.seq;
  }

  accept(wireId: string, seq: number): Verdict {
    const entry = this.seen.get(wireId);
    if (!entry) {
      this.seen.set(wireId, { seq });
      return { kind: 'new' };
    }
    if (entry.localId !== undefined && entry.seq === undefined) {
      entry.seq = seq;
      return { kind: 'own', localId: entry.localId };
    }
    return { kind: 'duplicate' };
  }

  /** Another room (the server was set up anew): its sequence numbers mean something else. */
  clear(): void {
    this.seen.clear();
    this.newest = 0;
    this.oldest = undefined;
  }
}
