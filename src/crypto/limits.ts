// The envelope's and the username's limits, which the chat panel's browser build checks too. Constants
// and one pattern only, no Node or DOM API, so this is the one file of src/crypto the webview imports.

/** Largest plaintext one envelope seals. */
export const MAX_PLAINTEXT_BYTES = 32 * 1024;
/** Usernames are at most one AES block of UTF-8 (the original design's limit). */
export const USERNAME_MAX_BYTES = 16;
export const USERNAME_RULE = `username must be 1-${USERNAME_MAX_BYTES} bytes of UTF-8`;

/** C0, DEL and C1: NUL is the username padding byte, and none has a place in a name or a path. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;
