// The protocol's limits, each defined here once: those of the wire, the panel and the server's
// configuration. No Node or DOM API here, so the webview's build shares this file with the Node code.
// (MAX_TEXT_BYTES, derived from the body's measured overhead, is in panel.ts.)

/** Most members a room has online at once: the server's default connection limit and the cap on every online list. */
export const MAX_ONLINE = 1024;
/** Cap on a human-readable detail (a refusal, a failure reason, a connection note) the panel shows. */
export const MAX_DETAIL_LENGTH = 1024;
/** Most messages one history request may ask for. */
export const HISTORY_PAGE_MAX = 200;
/** Messages per history page when the settings say nothing else. */
export const HISTORY_PAGE_DEFAULT = 50;
/** Most UTF-16 units of the parent's text a reply quotes (the start of it, on one line). */
export const REPLY_QUOTE_MAX_LENGTH = 100;
/** Most UTF-16 units of the name a reply quotes: room for any username of 16 bytes. */
export const REPLY_NAME_MAX_LENGTH = 16;
/** Most seqs one tombstone replaces: the message and its edits (an edit beyond them is never offered). */
export const MAX_DELETED_SEQS = 101;
/** Most edits of one message a client offers: a delete must name them all within MAX_DELETED_SEQS. */
export const MAX_EDITS_PER_MESSAGE = MAX_DELETED_SEQS - 1;
/**
 * Least ms between two typing signals of one connection: a client sends none more often while its
 * member types, and the server relays none more often (docs/PROTOCOL.md, `typing`).
 */
export const TYPING_INTERVAL_MS = 2000;
/** Ms "… is typing" shows after a member's last signal: more than two intervals, so one signal lost or dropped does not blink it. */
export const TYPING_EXPIRY_MS = 5000;
/** Most UTF-16 units of a search query the panel may send: a phrase, not a document. */
export const MAX_SEARCH_QUERY_LENGTH = 200;
/** Most results one search gives (newest first); the panel says when there were more. */
export const MAX_SEARCH_RESULTS = 200;
/** Most UTF-16 units of a result's text: the window around the match the host cuts out of a long message. */
export const MAX_SEARCH_EXCERPT_LENGTH = 240;
/** Most UTF-16 units of a snippet's VS Code language id ("typescript"), in a message body and in the panel. */
export const MAX_LANGUAGE_ID_LENGTH = 100;
// Sanity caps for panel fields the view only displays or hands back; they bound memory, not meaning.
/** A snippet's workspace-relative path. */
export const MAX_PATH_LENGTH = 1024;
/** A web link, and a room's address or name in the panel. */
export const MAX_URL_LENGTH = 2048;
/** A draft may be longer than a message (the composer then says by how much). */
export const MAX_DRAFT_LENGTH = 1024 * 1024;
/** One of the panel's translated texts (panelText.ts); the longest English one is under 200 characters. */
export const MAX_PANEL_TEXT_LENGTH = 1000;
/** Most rooms the chat is in at once (one session each): the joined list, the panel's room row and its messages. */
export const MAX_JOINED_ROOMS = 32;
