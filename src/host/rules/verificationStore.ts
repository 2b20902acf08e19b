// The VerificationBook of each room, kept in workspace state (public keys and names only) under the
// room's id. A stored book that cannot be read is reported once, in plain words, and left in place:
// the room then starts from an empty book in memory, and the stored one is replaced only when the
// user verifies (or unverifies) someone again, never silently on load.
import type { StateStore } from './stateStore';
import { VerificationBook } from './memberTrust';

const PREFIX = 'secureChat.verified';

export type LoadedBook =
  | { readonly ok: true; readonly book: VerificationBook }
  /** `why` names the first thing wrong; `book` is an empty one to use until the user verifies again. */
  | { readonly ok: false; readonly why: string; readonly book: VerificationBook };

export class VerificationStore {
  /** Books loaded so far, by room id: one book per room for the window's lifetime. */
  private readonly books = new Map<string, VerificationBook>();

  constructor(private readonly state: StateStore) {}

  /** The room's book; the first load of a malformed one says why (once per room and window). */
  load(roomId: string): LoadedBook {
    const known = this.books.get(roomId);
    if (known) return { ok: true, book: known };
    const stored = this.state.get<unknown>(key(roomId));
    const parsed = stored === undefined ? undefined : VerificationBook.fromStored(stored);
    const book = parsed?.ok ? parsed.value : new VerificationBook();
    this.books.set(roomId, book);
    return parsed === undefined || parsed.ok ? { ok: true, book } : { ok: false, why: parsed.error, book };
  }

  /** After the user changed the room's book (verify, unverify). */
  save(roomId: string, book: VerificationBook): Thenable<void> {
    this.books.set(roomId, book);
    return this.state.update(key(roomId), book.toStored());
  }
}

function key(roomId: string): string {
  return `${PREFIX}.${roomId}`;
}
