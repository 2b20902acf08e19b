// Who is online: one entry per member, keyed by its identity public key, so one person on two
// windows is one member and two people who chose the same name are two. The name last seen for each
// key is remembered (also after it left, up to NAME_MEMORY keys), so a key that comes back under
// another name is reported as a rename. A server holding the password can send any number of join
// and leave frames, so each costs O(1) map work, at most MAX_ONLINE members are tracked, and the
// sorted list is built only when read.
import { MAX_ONLINE } from '../protocol/limits';
import type { OnlineMember, RenamedMember } from './types';

/** Keys whose last name is remembered: as many members as a room's directory holds. */
export const NAME_MEMORY = 10_000;

export interface PresenceChange {
  /** Whether the list of members changed. */
  readonly changed: boolean;
  /** Members that came under another name than the one last seen for their key. */
  readonly renamed: readonly RenamedMember[];
}

const UNCHANGED: PresenceChange = { changed: false, renamed: [] };

export class Presence {
  /** Hex key → the member online under it. */
  private readonly online = new Map<string, OnlineMember>();
  /** Hex key → the name last seen for it, least recently seen first. */
  private readonly lastNames = new Map<string, string>();
  private sorted: OnlineMember[] | undefined;

  constructor(private readonly cap = MAX_ONLINE, private readonly memory = NAME_MEMORY) {}

  /** By name, then by key: two members of one name keep their order. Built at most once per change. */
  members(): OnlineMember[] {
    this.sorted ??= [...this.online.values()].sort((a, b) => a.name.localeCompare(b.name) || Buffer.compare(a.key, b.key));
    return [...this.sorted];
  }

  /** The whole list, as a welcome gives it. */
  replace(members: Iterable<OnlineMember>): PresenceChange {
    const before = this.members();
    this.online.clear();
    const renamed: RenamedMember[] = [];
    for (const member of members) {
      if (this.online.size >= this.cap) break;
      const rename = this.seen(member);
      if (rename) renamed.push(rename);
      this.online.set(hex(member.key), member);
    }
    this.sorted = undefined;
    return { changed: !sameMembers(before, this.members()), renamed };
  }

  /** A member online, or online under another name (a rename); one beyond the cap is ignored. */
  join(member: OnlineMember): PresenceChange {
    const key = hex(member.key);
    const previous = this.online.get(key);
    if (previous?.name === member.name) return UNCHANGED;
    if (previous === undefined && this.online.size >= this.cap) return UNCHANGED;
    const rename = this.seen(member);
    this.online.set(key, member);
    this.sorted = undefined;
    return { changed: true, renamed: rename ? [rename] : [] };
  }

  /** The member online under this key, if any. */
  get(key: Uint8Array): OnlineMember | undefined {
    return this.online.get(hex(key));
  }

  /** Whether the member was listed. */
  leave(key: Uint8Array): boolean {
    return this.changed(this.online.delete(hex(key)));
  }

  /** Offline: nobody is listed; the names seen are kept, to tell renames on the next connection. */
  clear(): boolean {
    const had = this.online.size > 0;
    this.online.clear();
    return this.changed(had);
  }

  /** Remembers the member's name; the rename when its key was last seen under another. */
  private seen(member: OnlineMember): RenamedMember | undefined {
    const key = hex(member.key);
    const from = this.lastNames.get(key);
    this.lastNames.delete(key);
    this.lastNames.set(key, member.name);
    if (this.lastNames.size > this.memory) this.lastNames.delete(this.lastNames.keys().next().value as string);
    return from === undefined || from === member.name ? undefined : { key: member.key, from, to: member.name };
  }

  private changed(changed: boolean): boolean {
    if (changed) this.sorted = undefined;
    return changed;
  }
}

function hex(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString('hex');
}

function sameMembers(a: readonly OnlineMember[], b: readonly OnlineMember[]): boolean {
  return a.length === b.length && a.every((member, i) => member.name === b[i].name && Buffer.compare(member.key, b[i].key) === 0);
}
