// What a typing signal seals: one fixed plaintext, so every signal is an envelope of the same,
// smallest size (the server learns nothing from its length) and none is a message body (it has no
// "text", so decodeBody refuses it if a server ever stored one as a message), and the one pace
// both ends keep. No Node or DOM API.
import { TYPING_INTERVAL_MS } from './limits';

/** `{"typing":true}`: 15 bytes, one AES block once padded. */
export const TYPING_PLAINTEXT: Uint8Array = new TextEncoder().encode('{"typing":true}');

/** Whether an opened envelope's plaintext is a typing signal's. */
export function isTypingPlaintext(plaintext: Uint8Array): boolean {
  return plaintext.length === TYPING_PLAINTEXT.length && plaintext.every((byte, index) => byte === TYPING_PLAINTEXT[index]);
}

/** At most one signal per interval passes: the client's sending pace and the server's relaying pace. */
export class TypingPace {
  private last = -Infinity;

  constructor(private readonly intervalMs = TYPING_INTERVAL_MS) {}

  /** True, and counted, when the last signal that passed is at least the interval old. */
  pass(now: number): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
