// Typing signals at the server: checked like a message (MAC and signature under an epoch new
// messages may use, signed by the connection's proven key under the name it presented, stamped
// near the server's clock), then relayed to the room's other connections and forgotten. Nothing
// about them is stored or logged. At most one per TYPING_INTERVAL_MS per connection is relayed; the
// rest are dropped without an answer, as a client that keeps to the interval never sends them.
import { CryptoError, EpochKeyring, openSignedMessage } from '../crypto';
import { isTypingPlaintext } from '../protocol/typing';
import type { ErrorCode } from '../protocol/wire';

/** Who the connection proved it is, and the server's rules for timestamps. */
export interface TypingSender {
  readonly keyring: EpochKeyring;
  readonly identity: Buffer;
  readonly name: string;
  readonly maxClockSkewMs: number;
}

/** Why a typing signal is refused, or null when it is to be relayed; the codes are those of `send`. */
export function typingRefusal(envelope: Buffer, sender: TypingSender, now: number): ErrorCode | null {
  let opened;
  try {
    opened = openSignedMessage(sender.keyring, envelope);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    return 'bad-mac';
  }
  if (!isTypingPlaintext(opened.plaintext)) return 'bad-frame';
  if (!opened.signer.equals(sender.identity)) return 'wrong-signer';
  if (opened.username !== sender.name) return 'wrong-name';
  if (Math.abs(now - opened.timestamp) > sender.maxClockSkewMs) return 'stale';
  return null;
}
