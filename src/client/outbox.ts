// Messages the server has not yet confirmed, oldest first. Only sealed envelopes are kept, never
// plaintext: a message typed offline sits here encrypted until a connection delivers it.
import type { SealedMessage } from '../crypto';
import { ChatClientError } from './errors';

export interface OutboxEntry {
  /** The id the UI knows the message by: the hex message id of its first sealing. */
  readonly localId: string;
  /** Hex message id of the envelope as last sealed; differs from localId once re-sealed. */
  wireId: string;
  envelope: Buffer;
  /** How many times in a row the server answered "stale" for this message. */
  staleAnswers: number;
  /** The last seq seen when it was typed: if stored, its seq is above this (see ackedMessages.ts). */
  readonly storedAfter: number;
}

export class Outbox {
  // A Map iterates in insertion order, which is the order the user typed.
  private readonly entries = new Map<string, OutboxEntry>();

  /** `lastSeen`: the last seq this client has seen, recorded with each message typed. */
  constructor(private readonly limit: number, private readonly lastSeen: () => number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new ChatClientError('invalid-option', 'outboxLimit must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  add(sealed: SealedMessage): OutboxEntry {
    if (this.entries.size >= this.limit) {
      throw new ChatClientError('outbox-full', `${this.limit} messages are already waiting to be sent; wait for the connection to come back`);
    }
    const id = sealed.messageId.toString('hex');
    return this.restore({ localId: id, wireId: id, envelope: sealed.envelope, storedAfter: this.lastSeen() });
  }

  /**
   * Queues again, as it was, a message the server acknowledged but did not store (to be re-sealed).
   * Past the limit too: it was accepted once, and the user was told it was sent.
   */
  restore(message: Pick<OutboxEntry, 'localId' | 'wireId' | 'envelope' | 'storedAfter'>): OutboxEntry {
    const entry: OutboxEntry = { ...message, staleAnswers: 0 };
    this.entries.set(entry.localId, entry);
    return entry;
  }

  first(): OutboxEntry | undefined {
    return this.entries.values().next().value;
  }

  byWireId(wireId: string): OutboxEntry | undefined {
    for (const entry of this.entries.values()) if (entry.wireId === wireId) return entry;
    return undefined;
  }

  /** Swaps in a new sealing of the same message; its place in the order and its local id stay. */
  reseal(entry: OutboxEntry, sealed: SealedMessage): void {
    entry.wireId = sealed.messageId.toString('hex');
    entry.envelope = sealed.envelope;
  }

  remove(localId: string): OutboxEntry | undefined {
    const entry = this.entries.get(localId);
    this.entries.delete(localId);
    return entry;
  }
}
