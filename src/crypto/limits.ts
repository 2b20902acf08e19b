// The envelope's and the username's limits, which the chat panel's browser build checks too. Constants
// and one pattern only, no Node or DOM API, so this is the one file of src/crypto the webview imports.

/** Largest plaintext one envelope seals. */
export const MAX_PLAINTEXT_BYTES = 32 * 1024;
/** Usernames are at most one AES block of UTF-8 (the original design's limit). */
export const USERNAME_MAX_BYTES = 16;
export const USERNAME_RULE = `username must be 1-${USERNAME_MAX_BYTES} bytes of UTF-8`;

/**
 * Control characters (Cc: C0, DEL, C1; NUL is the username padding byte) and format characters (Cf:
 * zero-width characters, bidi embeddings, overrides and isolates, the BOM, the soft hyphen). None
 * has a place in a name or a path: format characters make two different names look alike or
 * reorder the text around them. A \p{} class, not a Node API, so the browser build can use it.
 */
export const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}]/u;
export const UNSAFE_CHARACTERS_RULE = 'must not contain control characters or format characters (zero-width, bidi controls)';
