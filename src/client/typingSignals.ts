// Typing signals at the client: sealed and signed like a message but never stored, at most one per
// TYPING_INTERVAL_MS, and on receipt accepted only from a member online under the name it signed,
// each later than the last one of that member (a server replaying an old signal shows nothing).
import { CryptoError, EpochKeyring, EpochKeys, IdentityKey, openSignedMessage, sealSignedMessage } from '../crypto';
import { TYPING_PLAINTEXT, isTypingPlaintext } from '../protocol/typing';
import { stampedRecently } from './liveSeqs';
import type { OnlineMember } from './types';

/** The envelope of one typing signal, stamped `now`. */
export function sealTyping(keys: EpochKeys, identity: IdentityKey, username: string, now: number): Buffer {
  return sealSignedMessage(keys, identity, { username, plaintext: TYPING_PLAINTEXT, timestamp: now }).envelope;
}

/** Received signals: who each is from, once it checks. */
export class TypingReceiver {
  /** Hex key → the timestamp of the member's last accepted signal; only members seen online. */
  private readonly latest = new Map<string, number>();

  /**
   * The member typing, or undefined for a signal to drop: it fails verification, is not a typing
   * signal, is ours, its signer is not online under the name it signed, or it is no later than the
   * last one accepted from that member (or older than live news).
   */
  accept(keyring: EpochKeyring, envelope: Buffer, online: (key: Uint8Array) => OnlineMember | undefined, own: Uint8Array, now: number): OnlineMember | undefined {
    let opened;
    try {
      opened = openSignedMessage(keyring, envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return undefined;
    }
    if (!isTypingPlaintext(opened.plaintext) || opened.signer.equals(own)) return undefined;
    const member = online(opened.signer);
    if (member === undefined || member.name !== opened.username || !stampedRecently(opened.timestamp, now)) return undefined;
    const key = opened.signer.toString('hex');
    if (opened.timestamp <= (this.latest.get(key) ?? -Infinity)) return undefined;
    this.latest.set(key, opened.timestamp);
    return member;
  }
}
