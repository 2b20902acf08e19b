// The room's member directory: which identity key each display name belongs to. The first key to
// claim a name binds it, and from then on a claim of that name with another key is refused
// (`name-taken`), so no member can appear under another's bound name. A key that claims a new name
// is a rename, recorded as "old is now new"; the names it held stay its own, so nobody can take
// them over and be read as the author of old messages. Pure logic: storedDirectory.ts keeps snapshot() on disk.
import * as v from 'valibot';
import { usernameKey } from '../crypto';
import { encodeBase64 } from '../protocol/base64';
import { Checked, check, integer, list } from '../protocol/check';
import { identityPublicKey, indexMembers, storedNames, storedUsername } from '../protocol/members';

/** Bounds on what one room's directory holds, so no member can grow it without limit. */
export const DIRECTORY_LIMITS = {
  /** Members (keys) in one room. */
  members: 10_000,
  /** Names one key may hold over its life, its current one included. */
  namesPerMember: 16,
  /** Renames kept for the panel's "old is now new"; older ones are dropped first. */
  renames: 1_000,
} as const;

export type ClaimResult =
  /** A new member: the name is now bound to this key. */
  | { readonly kind: 'bound' }
  /** The key's current name: nothing changes. */
  | { readonly kind: 'known' }
  /** The key's current name was `from`; it is now the claimed one. */
  | { readonly kind: 'renamed'; readonly from: string }
  /** Refused: the name (or one that reads the same: usernameKey) is bound to another key. */
  | { readonly kind: 'name-taken' }
  /** Refused: the key already holds DIRECTORY_LIMITS.namesPerMember names. */
  | { readonly kind: 'too-many-names' }
  /** Refused: the room has DIRECTORY_LIMITS.members members and this key is not one. */
  | { readonly kind: 'directory-full' };

export interface Rename {
  readonly publicKey: Buffer;
  readonly from: string;
  readonly to: string;
  /** Milliseconds since the Unix epoch, the server's clock. */
  readonly at: number;
}

interface Member {
  readonly publicKey: Buffer;
  /** Every name the key holds, least recently used first; the last is its current name. */
  readonly names: string[];
}

const keyText = (publicKey: Uint8Array) => encodeBase64(publicKey);

export class MemberDirectory {
  private readonly byKey = new Map<string, Member>();
  /** usernameKey(name) → the key text of the member holding it. */
  private readonly byName = new Map<string, string>();
  private readonly renameLog: Rename[] = [];

  /**
   * A connection that proved it holds `publicKey` asks to appear as `name` (a valid username).
   * Binds, renames or refuses; a refusal changes nothing.
   */
  claim(name: string, publicKey: Uint8Array, at: number): ClaimResult {
    const key = keyText(publicKey);
    const folded = usernameKey(name);
    const owner = this.byName.get(folded);
    if (owner !== undefined && owner !== key) return { kind: 'name-taken' };
    const member = this.byKey.get(key);
    if (member === undefined) {
      if (this.byKey.size >= DIRECTORY_LIMITS.members) return { kind: 'directory-full' };
      this.byKey.set(key, { publicKey: Buffer.from(publicKey), names: [name] });
      this.byName.set(folded, key);
      return { kind: 'bound' };
    }
    const from = member.names[member.names.length - 1];
    if (from === name) return { kind: 'known' };
    // A name it held before, or a new spelling of one (same usernameKey), replaces that entry and moves to the end as current.
    const held = member.names.findIndex((heldName) => usernameKey(heldName) === folded);
    if (held === -1 && member.names.length >= DIRECTORY_LIMITS.namesPerMember) return { kind: 'too-many-names' };
    if (held !== -1) member.names.splice(held, 1);
    member.names.push(name);
    this.byName.set(folded, key);
    this.renameLog.push({ publicKey: member.publicKey, from, to: name, at });
    if (this.renameLog.length > DIRECTORY_LIMITS.renames) this.renameLog.shift();
    return { kind: 'renamed', from };
  }

  /** The member's current name, or undefined for a key that never claimed one. */
  nameOf(publicKey: Uint8Array): string | undefined {
    const names = this.byKey.get(keyText(publicKey))?.names;
    return names?.[names.length - 1];
  }

  /** The key a name (or one that reads the same) is bound to. */
  keyOf(name: string): Buffer | undefined {
    const key = this.byName.get(usernameKey(name));
    return key === undefined ? undefined : this.byKey.get(key)?.publicKey;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Renames, oldest first (at most DIRECTORY_LIMITS.renames). */
  renames(): readonly Rename[] {
    return [...this.renameLog];
  }

  /** A JSON-safe copy for the store. */
  snapshot(): DirectorySnapshot {
    return {
      version: 1,
      members: [...this.byKey.values()].map((member) => ({ key: keyText(member.publicKey), names: [...member.names] })),
      renames: this.renameLog.map((rename) => ({ key: keyText(rename.publicKey), from: rename.from, to: rename.to, at: rename.at })),
    };
  }

  /** A directory from a stored snapshot, refused with the first thing wrong (a name on two keys, say). */
  static restore(value: unknown): Checked<MemberDirectory> {
    const checked = check(SnapshotSchema, value);
    if (!checked.ok) return checked;
    const index = indexMembers(checked.value.members, 'members');
    if (!index.ok) return index;
    const directory = new MemberDirectory();
    for (const [key, member] of index.value.byKey) directory.byKey.set(key, { publicKey: member.key, names: [...member.names] });
    for (const [name, key] of index.value.byName) directory.byName.set(name, key);
    for (const rename of checked.value.renames) {
      const member = directory.byKey.get(keyText(rename.key));
      if (member === undefined) return { ok: false, error: '"renames" names a key that is not a member' };
      directory.renameLog.push({ publicKey: member.publicKey, from: rename.from, to: rename.to, at: rename.at });
    }
    return { ok: true, value: directory };
  }
}

const SnapshotSchema = v.object({
  version: v.literal(1, 'must be 1'),
  members: list(v.object({ key: identityPublicKey(), names: storedNames(DIRECTORY_LIMITS.namesPerMember) }), DIRECTORY_LIMITS.members),
  renames: list(v.object({ key: identityPublicKey(), from: storedUsername(), to: storedUsername(), at: integer(0) }), DIRECTORY_LIMITS.renames),
}, 'must be an object');

/** What snapshot() returns and restore() accepts. */
export interface DirectorySnapshot {
  readonly version: 1;
  readonly members: readonly { readonly key: string; readonly names: readonly string[] }[];
  readonly renames: readonly { readonly key: string; readonly from: string; readonly to: string; readonly at: number }[];
}
