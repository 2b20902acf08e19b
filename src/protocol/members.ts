// Schema fields for what names a member in stored data: the server's member directory and the
// host's verified members. A stored name must be exactly what normalizeUsername accepts and keeps.
import * as v from 'valibot';
import { IDENTITY_PUBLIC_KEY_BYTES, isCanonicalUsername, usernameKey } from '../crypto';
import { base64Bytes, encodeBase64 } from './base64';
import { Checked, list, textWhere } from './check';

export function storedUsername() {
  return textWhere(isCanonicalUsername, 'must be a username (1-16 bytes of UTF-8, NFC, no control or format characters)');
}

/** The names one member has held: 1 to `maxNames` usernames. */
export function storedNames(maxNames: number) {
  return v.pipe(list(storedUsername(), maxNames), v.minLength(1, 'must hold a name'));
}

/** An identity public key: 32 bytes of canonical base64. */
export function identityPublicKey() {
  return base64Bytes(IDENTITY_PUBLIC_KEY_BYTES);
}

export interface MemberIndex<M> {
  /** Key text (base64) → member. */
  readonly byKey: Map<string, M>;
  /** usernameKey of each name → the key text of the member holding it. */
  readonly byName: Map<string, string>;
}

/**
 * Indexes stored members by key and by every name they hold, refusing a key twice or a name (in
 * usernameKey form) held twice: what `field` of a stored directory or verification book must satisfy.
 */
export function indexMembers<M extends { readonly key: Buffer; readonly names: readonly string[] }>(members: readonly M[], field: string): Checked<MemberIndex<M>> {
  const index: MemberIndex<M> = { byKey: new Map(), byName: new Map() };
  for (const member of members) {
    const key = encodeBase64(member.key);
    if (index.byKey.has(key)) return { ok: false, error: `"${field}" holds a key twice` };
    for (const name of member.names) {
      if (index.byName.has(usernameKey(name))) return { ok: false, error: `"${field}" holds the name ${JSON.stringify(name)} twice` };
      index.byName.set(usernameKey(name), key);
    }
    index.byKey.set(key, member);
  }
  return { ok: true, value: index };
}
