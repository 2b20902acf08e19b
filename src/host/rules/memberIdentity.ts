// Who wrote a message or is online, as the panel shows it, decided by identity key and never by
// name: "(you)" is a message signed with this installation's key (two installations both called
// "root" are two members), the colour follows the key across renames, and the trust mark comes
// from the room's VerificationBook. Unsigned history is never "(you)": nothing proves who sent it.
import { keyId } from '../../crypto';
import { MemberTrust, VerificationBook } from './memberTrust';
import { Translate, english } from './words';

export interface SenderView {
  readonly own: boolean;
  readonly trust: MemberTrust;
  /** The signer's key id grouped for reading ("0d48 ac3f 390c aae5"); null for an unsigned message. */
  readonly keyId: string | null;
  /** An index into the panel's palette of `paletteSize` colours, from the key; null for an unsigned message. */
  readonly colour: number | null;
}

/** Whether `signer` (null: unsigned) is this installation's own key (public keys: nothing secret to time). */
export function isOwnKey(signer: Uint8Array | null, mine: Uint8Array): boolean {
  return signer !== null && Buffer.compare(signer, mine) === 0;
}

export function senderView(signer: Uint8Array | null, name: string, mine: Uint8Array, book: VerificationBook, paletteSize: number): SenderView {
  if (signer === null) return { own: false, trust: { kind: 'unsigned' }, keyId: null, colour: null };
  const id = keyId(signer);
  const own = isOwnKey(signer, mine);
  return {
    own,
    // One's own key needs no safety number.
    trust: own ? { kind: 'verified' } : book.trustOf(signer, name),
    keyId: groupedKeyId(id),
    colour: Number.parseInt(id.slice(0, 8), 16) % paletteSize,
  };
}

/** "0d48ac3f390caae5" as "0d48 ac3f 390c aae5". */
export function groupedKeyId(id: string): string {
  return (id.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The line the panel shows beside a message for its trust, in our own words (no peer text, so it is
 * safe anywhere); undefined when nothing needs saying. A changed key is said on every message.
 */
export function trustNotice(trust: MemberTrust, t: Translate = english): string | undefined {
  switch (trust.kind) {
    case 'unsigned':
      return t('Unsigned: sent before messages were signed, so its sender is not proven.');
    case 'key-changed':
      return t('Warning: this name was verified with another key ({0}). Until you verify again with “Secure Chat: Verify Member...”, this may be someone else.', groupedKeyId(trust.previousKeyId));
    case 'unverified':
    case 'verified':
      return undefined;
  }
}

/** A safety number's twelve groups of five digits in three lines of four, to read aloud a line at a time. */
export function safetyNumberLines(safetyNumber: string): string {
  const groups = safetyNumber.split(' ');
  const lines: string[] = [];
  for (let start = 0; start < groups.length; start += 4) lines.push(groups.slice(start, start + 4).join(' '));
  return lines.join('\n');
}
