// Who is online, as the panel lists it: one entry per identity key, never merged by name. "(you)" is
// this installation's key, and members whose names read the same (usernameKey: "root" and "ROOT"
// too) each carry a short key id, so two people who both chose "root" are two tellable entries.
import { keyId, usernameKey } from '../../crypto';
import type { OnlineMember } from '../../client';
import type { OnlineEntry } from '../../protocol/panel';
import { groupedKeyId, isOwnKey } from './memberIdentity';
import { VerificationBook } from './memberTrust';

/** Hex digits of the key id shown beside a name that another member online shares. */
const TAG_DIGITS = 8;

/**
 * The client's members (sorted by name, then key) as the panel's entries, in the same order, each
 * with its trust from the room's `book` (one's own entry needs none).
 */
export function onlineEntries(members: readonly OnlineMember[], mine: Uint8Array, book: VerificationBook = new VerificationBook()): OnlineEntry[] {
  const perName = new Map<string, number>();
  for (const member of members) perName.set(usernameKey(member.name), (perName.get(usernameKey(member.name)) ?? 0) + 1);
  return members.map((member) => {
    const shared = (perName.get(usernameKey(member.name)) ?? 0) > 1;
    const me = isOwnKey(member.key, mine);
    const id = keyId(member.key);
    const trust = me ? undefined : book.trustOf(member.key, member.name).kind;
    return {
      name: member.name,
      ...(shared ? { tag: groupedKeyId(id.slice(0, TAG_DIGITS)) } : {}),
      me,
      ...(me ? {} : { id }),
      ...(trust === 'verified' ? { verified: true } : trust === 'key-changed' ? { keyChanged: true } : {}),
    };
  });
}

/** The one member (by key) that joined or left between two lists, when exactly one did; a rename is neither. */
export function presenceChange(before: readonly OnlineMember[], after: readonly OnlineMember[]): { joined?: string; left?: string } {
  // Connecting and disconnecting replace the whole list; that is not someone joining or leaving.
  if (before.length === 0 || after.length === 0) return {};
  const keys = (members: readonly OnlineMember[]) => new Set(members.map((member) => Buffer.from(member.key).toString('hex')));
  const [had, has] = [keys(before), keys(after)];
  const joined = after.filter((member) => !had.has(Buffer.from(member.key).toString('hex')));
  const left = before.filter((member) => !has.has(Buffer.from(member.key).toString('hex')));
  return {
    ...(joined.length === 1 ? { joined: joined[0].name } : {}),
    ...(left.length === 1 ? { left: left[0].name } : {}),
  };
}
