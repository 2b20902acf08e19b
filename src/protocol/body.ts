// What is inside a message envelope once decrypted: UTF-8 JSON with the text (a small markdown
// subset) and, for "Send Selection to Chat", a code snippet with where it came from, and for a reply
// the message it answers with a short quote of it (so the server learns nothing new). Only clients
// read it; the server verifies envelopes without looking at their contents. No Node or DOM API here:
// the panel's build measures texts against this encoding.
import * as v from 'valibot';
import { Checked, check, integer, text, textWhere } from './check';
import { isSingleEmoji } from './emoji';
import { MAX_LANGUAGE_ID_LENGTH, REPLY_NAME_MAX_LENGTH, REPLY_QUOTE_MAX_LENGTH } from './limits';

const SnippetSchema = v.pipe(
  v.object({
    code: v.string('must be a string'),
    /** VS Code language id, e.g. "typescript". */
    language: text(MAX_LANGUAGE_ID_LENGTH),
    /** Workspace-relative path with forward slashes (the panel checks it again before showing it). */
    path: textWhere((path) => path.length > 0, 'must be a non-empty string'),
    /** 1-based, inclusive. */
    startLine: integer(1),
    endLine: integer(1),
  }, 'must be an object'),
  v.check((snippet) => snippet.endLine >= snippet.startLine, 'has "endLine" before "startLine"'),
);
export type Snippet = v.InferOutput<typeof SnippetSchema>;

/** A message id as the envelope carries it (16 bytes), in lowercase hex. */
export function isMessageId(id: string): boolean {
  return /^[0-9a-f]{32}$/u.test(id);
}
const messageId = () => textWhere(isMessageId, 'must be 32 lowercase hex digits');

/** The message a reply answers: its id, and who wrote it and how it starts, as the replier saw it. */
const ReplyToSchema = v.object({
  id: messageId(),
  name: text(REPLY_NAME_MAX_LENGTH, 1),
  text: text(REPLY_QUOTE_MAX_LENGTH),
}, 'must be an object');
export type ReplyTo = v.InferOutput<typeof ReplyToSchema>;

/**
 * A reaction is a message of its own: the sender's `emoji` on (or taken back from) the message `to`.
 * The latest by the sender's clock counts per sender, target and emoji (see the panel's reactions.ts).
 */
const ReactSchema = v.object({
  to: messageId(),
  emoji: textWhere(isSingleEmoji, 'must be a single emoji'),
  on: v.boolean('must be true or false'),
}, 'must be an object');
export type React = v.InferOutput<typeof ReactSchema>;

/**
 * An edit or a delete names the message it changes; receivers take it only when it is signed by the
 * key that signed that message (see the panel's edits.ts), and so does the server (the frame names
 * the seqs it changes: docs/PROTOCOL.md, "Edits and deletes").
 */
const AmendSchema = v.object({ to: messageId() }, 'must be an object');
export type Amend = v.InferOutput<typeof AmendSchema>;

const MessageBodySchema = v.object({
  text: v.string('must be a string'),
  snippet: v.optional(SnippetSchema),
  replyTo: v.optional(ReplyToSchema),
  /** Makes the body a reaction: its text is empty and nothing else is read. */
  react: v.optional(ReactSchema),
  /** Makes the body a new version of the message `to`: its text replaces that message's text. */
  edit: v.optional(AmendSchema),
  /** Makes the body a tombstone of the message `to`: its text is empty and nothing else is read. */
  delete: v.optional(AmendSchema),
});
export type MessageBody = v.InferOutput<typeof MessageBodySchema>;

/**
 * Fields in the order docs/PROTOCOL.md gives them, the optional ones only when present; a reaction is
 * `{"text":"","react":{...}}`, a tombstone `{"text":"","delete":{"to":...}}`, an edit `{"text":...,"edit":{"to":...}}`.
 */
export function encodeBody(body: MessageBody): Uint8Array {
  const { text, snippet, replyTo, react } = body;
  if (react) return new TextEncoder().encode(JSON.stringify({ text: '', react: { to: react.to, emoji: react.emoji, on: react.on } }));
  if (body.delete) return new TextEncoder().encode(JSON.stringify({ text: '', delete: { to: body.delete.to } }));
  if (body.edit) return new TextEncoder().encode(JSON.stringify({ text, edit: { to: body.edit.to } }));
  return new TextEncoder().encode(JSON.stringify({ text, ...(snippet ? { snippet } : {}), ...(replyTo ? { replyTo: { id: replyTo.id, name: replyTo.name, text: replyTo.text } } : {}) }));
}

/**
 * The start of a parent's text as a reply quotes it: one line (runs of white space become one
 * space), at most REPLY_QUOTE_MAX_LENGTH units, never half a surrogate pair, "…" when cut.
 */
export function replyQuote(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  if (line.length <= REPLY_QUOTE_MAX_LENGTH) return line;
  let cut = REPLY_QUOTE_MAX_LENGTH - 1;
  if (/[\uD800-\uDBFF]/u.test(line[cut - 1] ?? '')) cut -= 1;
  return `${line.slice(0, cut)}…`;
}

/** Bytes of the smallest body around a text, `{"text":""}`. */
export const BODY_OVERHEAD_BYTES = encodeBody({ text: '' }).length;

/** A member's buggy or newer client may send anything: a rejection says which field is wrong. */
export function decodeBody(plaintext: Uint8Array): Checked<MessageBody> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return { ok: false, error: 'the body is not UTF-8 JSON' };
  }
  if (value === null || typeof value !== 'object') return { ok: false, error: 'the body must be a JSON object' };
  return check(MessageBodySchema, value);
}
