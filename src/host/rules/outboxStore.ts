// Messages typed offline, kept in the extension's storage so that they survive VS Code closing
// before they are sent: the client's sealed envelopes only (never plaintext), per server address and
// room, since a message sealed for one room means nothing to another.
import type { SealedOutboxEntry } from '../../client';
import { encodeStoredOutbox, parseStoredOutbox } from '../../protocol/storedOutbox';
import type { StateStore } from './stateStore';

const PREFIX = 'secureChat.outbox';

export type LoadedOutbox =
  | { readonly ok: true; readonly entries: readonly SealedOutboxEntry[] }
  /** What was stored cannot be read: it is moved, unchanged, to the key `keptAs`, and the user is to be told. */
  | { readonly ok: false; readonly why: string; readonly keptAs: string };

export class OutboxStore {
  constructor(private readonly state: StateStore) {}

  /**
   * Nothing stored is an empty outbox. An unreadable one is moved aside first, so that the next save
   * cannot overwrite what the user may still want to recover.
   */
  load(address: string, roomId: string): LoadedOutbox {
    const name = key(address, roomId);
    const stored = this.state.get<unknown>(name);
    if (stored === undefined) return { ok: true, entries: [] };
    const parsed = parseStoredOutbox(stored);
    if (parsed.ok) return { ok: true, entries: parsed.value };
    const keptAs = `${name}.unreadable`;
    void this.state.update(keptAs, stored).then(() => this.state.update(name, undefined));
    return { ok: false, why: parsed.error, keptAs };
  }

  /** An empty outbox removes the key, so storage holds nothing once everything was sent. */
  save(address: string, roomId: string, entries: readonly SealedOutboxEntry[]): Thenable<void> {
    return this.state.update(key(address, roomId), entries.length === 0 ? undefined : encodeStoredOutbox(entries));
  }
}

function key(address: string, roomId: string): string {
  return `${PREFIX}.${roomId}@${address}`;
}
