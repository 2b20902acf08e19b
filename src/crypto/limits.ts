// The envelope's and the username's limits, which the chat panel's browser build checks too. Constants,
// one pattern and the words for a name's length, no Node or DOM API, so this is the one file of
// src/crypto the webview imports.

/** Largest plaintext one envelope seals. */
export const MAX_PLAINTEXT_BYTES = 32 * 1024;
/** Usernames are at most one AES block of UTF-8 (the original design's limit). */
export const USERNAME_MAX_BYTES = 16;

/**
 * Why a name of `bytes` UTF-8 bytes cannot be a username, or null when its length is fine. In the
 * words a person can act on: a name of 14 letters can need 17 bytes, because accented letters take
 * two (and emoji four), so "at most 16" alone reads as a miscount.
 */
export function usernameLengthProblem(bytes: number): string | null {
  if (bytes < 1) return `Username is empty: enter a name of 1 to ${USERNAME_MAX_BYTES} bytes`;
  if (bytes > USERNAME_MAX_BYTES) {
    return `Username is too long: at most ${USERNAME_MAX_BYTES} bytes, this name needs ${bytes}; use a shorter name or fewer accented letters`;
  }
  return null;
}

/**
 * Control characters (Cc: C0, DEL, C1; NUL is the username padding byte) and format characters (Cf:
 * zero-width characters, bidi embeddings, overrides and isolates, the BOM, the soft hyphen). None
 * has a place in a name or a path: format characters make two different names look alike or
 * reorder the text around them. A \p{} class, not a Node API, so the browser build can use it.
 */
export const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}]/u;
export const UNSAFE_CHARACTERS_RULE = 'must not contain control characters or format characters (zero-width, bidi controls)';
