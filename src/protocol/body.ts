// What is inside a message envelope once decrypted: UTF-8 JSON with the text (a small markdown
// subset) and, for "Send Selection to Chat", a code snippet with where it came from. Only clients
// read it; the server verifies envelopes without looking at their contents. No Node or DOM API here:
// the panel's build measures texts against this encoding.

export interface Snippet {
  readonly code: string;
  /** VS Code language id, e.g. "typescript". */
  readonly language: string;
  /** Workspace-relative path with forward slashes. */
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface MessageBody {
  readonly text: string;
  readonly snippet?: Snippet;
}

export function encodeBody(body: MessageBody): Uint8Array {
  const { text, snippet } = body;
  return new TextEncoder().encode(JSON.stringify(snippet ? { text, snippet } : { text }));
}

/** Bytes of the smallest body around a text, `{"text":""}`. */
export const BODY_OVERHEAD_BYTES = encodeBody({ text: '' }).length;

function isLine(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function parseSnippet(value: unknown): Snippet | null {
  if (value === null || typeof value !== 'object') return null;
  const { code, language, path, startLine, endLine } = value as Record<string, unknown>;
  if (typeof code !== 'string' || typeof language !== 'string' || typeof path !== 'string') return null;
  if (!isLine(startLine) || !isLine(endLine) || endLine < startLine || path.length === 0 || language.length > 100) return null;
  return { code, language, path, startLine, endLine };
}

/** Null for anything that is not a well-formed body (a member's buggy or newer client). */
export function decodeBody(plaintext: Uint8Array): MessageBody | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { text, snippet } = value as Record<string, unknown>;
  if (typeof text !== 'string') return null;
  if (snippet === undefined) return { text };
  const parsed = parseSnippet(snippet);
  return parsed ? { text, snippet: parsed } : null;
}
