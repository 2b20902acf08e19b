// Usernames are at most 16 bytes of UTF-8 (the original design's limit) and are padded to exactly one
// AES block so that every encrypted username has the same length and reveals nothing about the name.

import { UNSAFE_CHARACTERS, UNSAFE_CHARACTERS_RULE, USERNAME_MAX_BYTES, usernameLengthProblem } from './limits';

export class UsernameError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'UsernameError';
  }
}

/** Checks a username and returns its canonical (NFC) form; throws UsernameError with a clear reason. */
export function normalizeUsername(username: string): string {
  if (!username.isWellFormed()) throw new UsernameError('Username is not valid text: it contains an unpaired surrogate');
  const normalized = username.normalize('NFC');
  const lengthProblem = usernameLengthProblem(Buffer.byteLength(normalized, 'utf8'));
  if (lengthProblem !== null) throw new UsernameError(lengthProblem);
  if (UNSAFE_CHARACTERS.test(normalized)) throw new UsernameError(`Username ${UNSAFE_CHARACTERS_RULE}`);
  return normalized;
}

/** The 16-byte block that gets encrypted: the UTF-8 name followed by zero bytes. */
export function padUsername(username: string): Buffer {
  const block = Buffer.alloc(USERNAME_MAX_BYTES);
  Buffer.from(normalizeUsername(username), 'utf8').copy(block);
  return block;
}

/** Inverse of padUsername; returns null for any block padUsername could not have produced. */
export function unpadUsername(block: Uint8Array): string | null {
  if (block.length !== USERNAME_MAX_BYTES) return null;
  let end = block.indexOf(0);
  if (end === -1) end = block.length;
  if (block.subarray(end).some((byte) => byte !== 0)) return null;
  // ignoreBOM keeps a leading U+FEFF, which normalizeUsername then refuses: dropped, it would let
  // a forged block read as another member's name.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    const name = decoder.decode(block.subarray(0, end));
    return normalizeUsername(name) === name ? name : null;
  } catch {
    return null;
  }
}

/** Whether `name` is a username exactly as normalizeUsername returns it (what stored and suggested names must be). */
export function isCanonicalUsername(name: string): boolean {
  try {
    return normalizeUsername(name) === name;
  } catch {
    return false;
  }
}

/**
 * The form two usernames are compared in when telling members apart: compatibility-normalised
 * (NFKC) and lower-cased, so "Alice", "ALICE" and fullwidth "ａｌｉｃｅ" are one name.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}
