// Our own messages the server acknowledged, kept (sealed, as in the outbox) until a later
// connection's catch-up shows them stored. An `ack`, or a `replay` answer, is the server's word only,
// and anyone on the path of a ws:// connection can forge one; the envelope coming back in a history
// page is the check. A message acknowledged before a connection and not in its completed catch-up
// is not stored, and is sent again.

export interface AckedMessage {
  readonly localId: string;
  readonly envelope: Buffer;
  /** No seq of it can be this low or lower: the last seq seen when it was typed. */
  readonly storedAfter: number;
}

export class AckedMessages {
  // A Map iterates in insertion order: the oldest is dropped first at the limit, resends keep the order.
  private readonly entries = new Map<string, AckedMessage>();
  /** Wire ids acknowledged before the current connection: its catch-up decides about them. */
  private readonly due = new Set<string>();

  /** At the limit the oldest goes unchecked: the memory for envelopes stays bounded. */
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Where a catch-up must start to see every message being checked; undefined with none. */
  get storedAfter(): number | undefined {
    let lowest: number | undefined;
    for (const { storedAfter } of this.entries.values()) lowest = Math.min(lowest ?? storedAfter, storedAfter);
    return lowest;
  }

  /** The server said it stored the envelope with this wire id. */
  add(wireId: string, message: AckedMessage): void {
    if (this.entries.size >= this.limit) this.forget(this.entries.keys().next().value as string);
    this.entries.set(wireId, message);
  }

  /** A new connection: what was acknowledged until now is checked by its catch-up. */
  beginCheck(): void {
    this.due.clear();
    for (const wireId of this.entries.keys()) this.due.add(wireId);
  }

  /** The envelope came back in a catch-up page: it is stored. */
  seen(wireId: string): void {
    this.forget(wireId);
  }

  /** The catch-up is complete: the due messages it did not hold, removed from here, oldest first. */
  takeMissing(): AckedMessage[] {
    const missing = [...this.due].map((wireId) => this.entries.get(wireId)!);
    for (const wireId of [...this.due]) this.forget(wireId);
    return missing;
  }

  /** Another room: nothing acknowledged by the old one can be checked against the new one. */
  clear(): void {
    this.entries.clear();
    this.due.clear();
  }

  private forget(wireId: string): void {
    this.entries.delete(wireId);
    this.due.delete(wireId);
  }
}
