// What this installation has verified about other members of one room, by identity key: a member
// whose safety number was compared out of band is verified; a key that shows up under a name a
// verified member used, without being verified itself, is a changed key and stays loudly marked
// until it is verified in its turn. Kept in the room's workspace state (public keys and names only).
import * as v from 'valibot';
import { keyId, usernameKey } from '../../crypto';
import { encodeBase64 } from '../../protocol/base64';
import { Checked, check, integer, list } from '../../protocol/check';
import { identityPublicKey, indexMembers, storedNames } from '../../protocol/members';

/** Verified members kept per room, and names remembered per verified member, at most. */
export const TRUST_LIMITS = { verified: 1_000, namesPerMember: 16 } as const;

export type MemberTrust =
  /** An envelope from before signatures (version 1 or 2): nothing says who wrote it. */
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'unverified' }
  | { readonly kind: 'verified' }
  /** Not verified, under a name that `previousKeyId`'s verified member used: maybe someone else. */
  | { readonly kind: 'key-changed'; readonly previousKeyId: string };

interface Verified {
  readonly publicKey: Buffer;
  readonly verifiedAt: number;
  /** Names seen with this key, oldest first. */
  readonly names: string[];
}

export class VerificationBook {
  /** Key text (base64) → the verified member, oldest verification first. */
  private readonly verified = new Map<string, Verified>();
  /** usernameKey of every name a verified member was seen with → that member's key text. */
  private readonly byName = new Map<string, string>();

  /** How to treat a message or member signed by `publicKey` (null: unsigned) under `name`. */
  trustOf(publicKey: Uint8Array | null, name: string): MemberTrust {
    if (publicKey === null) return { kind: 'unsigned' };
    if (this.verified.has(encodeBase64(publicKey))) return { kind: 'verified' };
    const previous = this.verifiedUnder(name);
    return previous === undefined ? { kind: 'unverified' } : { kind: 'key-changed', previousKeyId: keyId(previous.publicKey) };
  }

  /**
   * The user compared safety numbers with the member holding `publicKey`, now called `name`. A
   * verified key that held the same name before is no longer verified: the name has a new key.
   */
  verify(publicKey: Uint8Array, name: string, at: number): void {
    const superseded = this.verifiedUnder(name);
    if (superseded !== undefined) this.unverify(superseded.publicKey);
    this.unverify(publicKey);
    if (this.verified.size >= TRUST_LIMITS.verified) this.unverify((this.verified.values().next().value as Verified).publicKey);
    const key = encodeBase64(publicKey);
    this.verified.set(key, { publicKey: Buffer.from(publicKey), verifiedAt: at, names: [name] });
    this.byName.set(usernameKey(name), key);
  }

  /** Undoes verify (the user's choice, from the member's menu). */
  unverify(publicKey: Uint8Array): void {
    const key = encodeBase64(publicKey);
    const member = this.verified.get(key);
    if (member === undefined) return;
    for (const name of member.names) this.forgetName(name, key);
    this.verified.delete(key);
  }

  /** A verified member now goes by `name` (the directory's "old is now new"): their old names stay watched. */
  noteName(publicKey: Uint8Array, name: string): void {
    const key = encodeBase64(publicKey);
    const member = this.verified.get(key);
    const folded = usernameKey(name);
    if (member === undefined || member.names.some((known) => usernameKey(known) === folded)) return;
    member.names.push(name);
    this.byName.set(folded, key);
    if (member.names.length > TRUST_LIMITS.namesPerMember) this.forgetName(member.names.shift() as string, key);
  }

  isVerified(publicKey: Uint8Array): boolean {
    return this.verified.has(encodeBase64(publicKey));
  }

  private verifiedUnder(name: string): Verified | undefined {
    const key = this.byName.get(usernameKey(name));
    return key === undefined ? undefined : this.verified.get(key);
  }

  /** Drops `name` from the index if `key` is the member it points to. */
  private forgetName(name: string, key: string): void {
    const folded = usernameKey(name);
    if (this.byName.get(folded) === key) this.byName.delete(folded);
  }

  /** A JSON-safe copy for workspace state. */
  toStored(): StoredVerifications {
    return {
      version: 1,
      verified: [...this.verified.values()].map((member) => ({ key: encodeBase64(member.publicKey), verifiedAt: member.verifiedAt, names: [...member.names] })),
    };
  }

  /** The book kept in workspace state; anything malformed is refused with the first thing wrong. */
  static fromStored(value: unknown): Checked<VerificationBook> {
    const checked = check(StoredSchema, value);
    if (!checked.ok) return checked;
    const index = indexMembers(checked.value.verified, 'verified');
    if (!index.ok) return index;
    const book = new VerificationBook();
    for (const [key, member] of index.value.byKey) book.verified.set(key, { publicKey: member.key, verifiedAt: member.verifiedAt, names: [...member.names] });
    for (const [name, key] of index.value.byName) book.byName.set(name, key);
    return { ok: true, value: book };
  }
}

const StoredSchema = v.object({
  version: v.literal(1, 'must be 1'),
  verified: list(v.object({
    key: identityPublicKey(),
    verifiedAt: integer(0),
    names: storedNames(TRUST_LIMITS.namesPerMember),
  }), TRUST_LIMITS.verified),
}, 'must be an object');

export interface StoredVerifications {
  readonly version: 1;
  readonly verified: readonly { readonly key: string; readonly verifiedAt: number; readonly names: readonly string[] }[];
}
