// What is inside a message envelope once decrypted: UTF-8 JSON with the text (a small markdown
// subset) and, for "Send Selection to Chat", a code snippet with where it came from. Only clients
// read it; the server verifies envelopes without looking at their contents. No Node or DOM API here:
// the panel's build measures texts against this encoding.
import * as v from 'valibot';
import { Checked, check, integer, text, textWhere } from './check';

const SnippetSchema = v.pipe(
  v.object({
    code: v.string('must be a string'),
    /** VS Code language id, e.g. "typescript". */
    language: text(100),
    /** Workspace-relative path with forward slashes (the panel checks it again before showing it). */
    path: textWhere((path) => path.length > 0, 'must be a non-empty string'),
    /** 1-based, inclusive. */
    startLine: integer(1),
    endLine: integer(1),
  }, 'must be an object'),
  v.check((snippet) => snippet.endLine >= snippet.startLine, 'has "endLine" before "startLine"'),
);
export type Snippet = v.InferOutput<typeof SnippetSchema>;

const MessageBodySchema = v.object({ text: v.string('must be a string'), snippet: v.optional(SnippetSchema) });
export type MessageBody = v.InferOutput<typeof MessageBodySchema>;

export function encodeBody(body: MessageBody): Uint8Array {
  const { text, snippet } = body;
  return new TextEncoder().encode(JSON.stringify(snippet ? { text, snippet } : { text }));
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
