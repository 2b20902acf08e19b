// Folds edits and deletes into the messages they name. Each is a message of its own (the body's
// `edit` or `delete`); it counts only when signed by the key that signed its target (the items'
// `signer`), so a member can change only their own messages: one from any other key, or for an
// unsigned target, is kept out of the view whatever the server did. The versions of a message are
// ordered by the sender's clock (message id breaking ties), so arrival order (live, or history pages
// that come newest first) changes nothing. Edits of messages not loaded yet are kept until the
// target arrives; all of it is bounded, the oldest targets going first. One rule for both sides: the
// panel folds what it shows, the host what it copies and searches. No Node or DOM API here.
import type { ChatItem } from './panel';
import { TargetBook, later } from './targetBook';

/** Most edit and delete entries kept in all. */
export const MAX_AMENDMENT_ENTRIES = 20_000;

type Amendment = ChatItem & ({ readonly edit: NonNullable<ChatItem['edit']> } | { readonly delete: NonNullable<ChatItem['delete']> });

export function isAmendment(item: ChatItem): item is Amendment {
  return item.edit !== undefined || item.delete !== undefined;
}

export interface Version {
  readonly id: string;
  readonly timestamp: number;
  readonly text: string;
}

/** What the reader sees of a message once its author's edits and delete are folded in. */
export interface Amended {
  /** The latest version's text. */
  readonly text: string;
  readonly deleted: boolean;
  /** Every version, the original first: more than one means "edited". */
  readonly versions: readonly Version[];
}

interface Entry extends Version {
  readonly signer: string | undefined;
  readonly deletes: boolean;
}

/** Target id → its edits and deletes by id. */
export class EditBook extends TargetBook<Map<string, Entry>> {
  constructor(maxEntries = MAX_AMENDMENT_ENTRIES) {
    super(maxEntries);
  }

  /** Takes in edits and deletes; returns the ids of the messages they name. */
  add(items: readonly Amendment[]): Set<string> {
    const changed = new Set<string>();
    for (const item of items) {
      this.noteSeq(item.seq);
      const to = item.edit?.to ?? item.delete?.to;
      if (to === undefined) continue;
      let entries = this.targets.get(to);
      if (!entries) this.targets.set(to, (entries = new Map()));
      if (!entries.has(item.id)) this.entries += 1;
      entries.set(item.id, { id: item.id, timestamp: item.timestamp, text: item.text, signer: item.signer, deletes: item.delete !== undefined });
      changed.add(to);
      this.trim(to);
    }
    return changed;
  }

  /** One of the user's edits or deletes was not sent: it no longer counts. Returns its target, if it was held. */
  failed(id: string): string | undefined {
    for (const [target, entries] of this.targets) {
      if (!entries.delete(id)) continue;
      this.entries -= 1;
      if (entries.size === 0) this.targets.delete(target);
      return target;
    }
    return undefined;
  }

  /** The message as its author last left it; undefined when nobody who may has changed it. */
  amended(item: ChatItem): Amended | undefined {
    const entries = this.targets.get(item.id);
    // Only the target's own signer; unsigned history has none, so nobody can change it.
    const own = item.signer === undefined ? [] : [...entries?.values() ?? []].filter((entry) => entry.signer === item.signer);
    if (own.length === 0) return undefined;
    const deleted = own.some((entry) => entry.deletes);
    const edits = own.filter((entry) => !entry.deletes).sort((a, b) => (later(a, b) ? 1 : -1));
    const versions: Version[] = [{ id: item.id, timestamp: item.timestamp, text: item.text }, ...edits.map(({ id, timestamp, text }) => ({ id, timestamp, text }))];
    return deleted ? { text: '', deleted, versions: [] } : { text: versions[versions.length - 1].text, deleted, versions };
  }

  /** The text the message reads now (its author's latest edit, else its own); undefined once its author deleted it. */
  currentText(item: ChatItem): string | undefined {
    const amended = this.amended(item);
    if (amended === undefined) return item.text;
    return amended.deleted ? undefined : amended.text;
  }

  protected sizeOf(entries: Map<string, Entry>): number {
    return entries.size;
  }
}
