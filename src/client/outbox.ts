// Messages the server has not yet confirmed, oldest first. Only sealed envelopes are kept, never
// plaintext: a message typed offline sits here encrypted until a connection delivers it.
import { SealedMessage, readEnvelopeHeader } from '../crypto';
import { ChatClientError } from './errors';

export interface OutboxEntry {
  /**
   * The id the UI knows the message by: the hex message id of its first sealing, or for a message
   * typed before the room's keys were known, a random id of the same size given when it was typed.
   */
  readonly localId: string;
  /** Hex message id of the envelope as last sealed; differs from localId once re-sealed. */
  wireId: string;
  envelope: Buffer;
  /** How many times in a row the server answered "stale" (or "wrong-name") for this message. */
  staleAnswers: number;
  /** The last seq seen when it was typed: if stored, its seq is above this (see ackedMessages.ts). */
  readonly storedAfter: number;
}

/**
 * An outbox entry as it may be kept outside the client (the extension's storage), so that a message
 * typed offline survives a restart: sealed, never plaintext.
 */
export interface SealedOutboxEntry {
  readonly localId: string;
  readonly envelope: Buffer;
  readonly storedAfter: number;
}

export class Outbox {
  // A Map iterates in insertion order, which is the order the user typed.
  private readonly entries = new Map<string, OutboxEntry>();

  /** `changed` hears every change, to keep a copy of sealed() up to date. */
  constructor(private readonly limit: number, private readonly changed: () => void = () => undefined) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new ChatClientError('invalid-option', 'outboxLimit must be a positive integer');
  }

  /** What waits, oldest first, as it may be kept outside the client. */
  sealed(): SealedOutboxEntry[] {
    return Array.from(this.entries.values(), ({ localId, envelope, storedAfter }) => ({ localId, envelope, storedAfter }));
  }

  get size(): number {
    return this.entries.size;
  }

  add(sealed: SealedMessage, storedAfter: number): OutboxEntry {
    this.assertRoom(0);
    return this.restore(sealed.messageId.toString('hex'), sealed, storedAfter);
  }

  /** Throws 'outbox-full' unless one more fits beside `alsoWaiting` messages typed but not sealed yet. */
  assertRoom(alsoWaiting: number): void {
    if (this.entries.size + alsoWaiting >= this.limit) {
      throw new ChatClientError('outbox-full', `${this.limit} messages are already waiting to be sent; wait for the connection to come back`);
    }
  }

  /**
   * Queues under its local id a message already accepted from the user: one the server acknowledged
   * but did not store (the user was told it was sent), or one typed before the room's keys were known
   * (counted against the limit when typed). Past the limit too.
   */
  restore(localId: string, sealed: SealedMessage, storedAfter: number): OutboxEntry {
    const entry: OutboxEntry = { localId, wireId: sealed.messageId.toString('hex'), envelope: sealed.envelope, staleAnswers: 0, storedAfter };
    this.entries.set(localId, entry);
    this.changed();
    return entry;
  }

  /**
   * Queues again what an earlier client left waiting (see sealed()), in its order, and returns the
   * entries taken. One whose envelope has no readable header is left out: the caller reports it.
   */
  reload(entries: readonly SealedOutboxEntry[]): { readonly taken: OutboxEntry[]; readonly unreadable: number } {
    const taken: OutboxEntry[] = [];
    for (const { localId, envelope, storedAfter } of entries) {
      const header = readEnvelopeHeader(envelope);
      if (header && !this.entries.has(localId)) taken.push(this.restore(localId, { messageId: Buffer.from(header.messageId), envelope }, storedAfter));
    }
    return { taken, unreadable: entries.length - taken.length };
  }

  first(): OutboxEntry | undefined {
    return this.entries.values().next().value;
  }

  byLocalId(localId: string): OutboxEntry | undefined {
    return this.entries.get(localId);
  }

  byWireId(wireId: string): OutboxEntry | undefined {
    for (const entry of this.entries.values()) if (entry.wireId === wireId) return entry;
    return undefined;
  }

  /** Swaps in a new sealing of the same message; its place in the order and its local id stay. */
  reseal(entry: OutboxEntry, sealed: SealedMessage): void {
    entry.wireId = sealed.messageId.toString('hex');
    entry.envelope = sealed.envelope;
    this.changed();
  }

  remove(localId: string): OutboxEntry | undefined {
    const entry = this.entries.get(localId);
    if (this.entries.delete(localId)) this.changed();
    return entry;
  }
}
