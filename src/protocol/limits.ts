// Limits more than one boundary enforces: the wire, the panel and the server's configuration. No Node
// or DOM API here, so the webview's build shares this file with the Node code.

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
/** Most rooms the chat is in at once (one session each): the joined list, the panel's room row and its messages. */
export const MAX_JOINED_ROOMS = 32;
