// Messages between the extension host and the chat panel's webview. The webview holds no keys: the
// host sends it decrypted, already-verified chat items and receives what the user typed or clicked.
// Both sides validate everything they receive (a webview is a browser page; the host treats it as
// untrusted input), so each direction has a parser that returns null for anything malformed.
// This module is compiled for Node and for the browser, so it uses neither Node nor DOM APIs.
import { CONTROL_CHARACTERS, MAX_PLAINTEXT_BYTES, USERNAME_MAX_BYTES } from '../crypto/limits';
import { BODY_OVERHEAD_BYTES, Snippet } from './body';
import { MAX_DETAIL_LENGTH, MAX_ONLINE } from './limits';

/** Largest text, in UTF-8 bytes, that fits one envelope once wrapped in its JSON body. */
export const MAX_TEXT_BYTES = MAX_PLAINTEXT_BYTES - BODY_OVERHEAD_BYTES;
/** Sanity caps for fields the view only displays or hands back; they bound memory, not meaning. */
export const MAX_PATH_LENGTH = 1024;
export const MAX_URL_LENGTH = 2048;
/** A draft may be longer than a message (the composer then says by how much). */
export const MAX_DRAFT_LENGTH = 1024 * 1024;

export type DeliveryStatus = 'pending' | 'sent' | 'failed';
export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'error';
/** Buttons of the empty/offline state; the host runs the command `secureChat.<name>`. */
export const VIEW_COMMANDS = ['connect', 'setPassword', 'setUsername', 'startServer'] as const;
export type ViewCommand = (typeof VIEW_COMMANDS)[number];


export interface ChatItem {
  /** Hex message id; stable across pending → sent, so delivery updates find the item. */
  readonly id: string;
  /** Server sequence number; absent until the server has stored the message. */
  readonly seq?: number;
  readonly username: string;
  /** Sender's clock, ms since the epoch. */
  readonly timestamp: number;
  readonly text: string;
  readonly snippet?: Snippet;
  readonly own: boolean;
  readonly status: DeliveryStatus;
  /** Why delivery failed (status 'failed' only). */
  readonly reason?: string;
}

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Human-readable cause, e.g. "wrong password" or "retrying in 8 s". */
  readonly detail?: string;
  /** Server address, shown in the banner. */
  readonly address?: string;
}

export interface PanelSnapshot {
  readonly connection: ConnectionState;
  /** Current username, or null when none is set yet. */
  readonly me: string | null;
  /** The most recent messages, oldest first; older ones come through loadOlder. */
  readonly messages: readonly ChatItem[];
  readonly online: readonly string[];
  readonly hasOlder: boolean;
  /** Text to put in the composer (e.g. a command that prefills it); absent keeps the view's draft. */
  readonly draft?: string;
}

export type HostToView =
  | ({ readonly type: 'snapshot' } & PanelSnapshot)
  | { readonly type: 'messages'; readonly items: readonly ChatItem[]; readonly position: 'append' | 'prepend'; readonly hasOlder: boolean }
  | { readonly type: 'delivery'; readonly id: string; readonly status: DeliveryStatus; readonly reason?: string }
  | ({ readonly type: 'connection' } & ConnectionState)
  | { readonly type: 'presence'; readonly online: readonly string[]; readonly joined?: string; readonly left?: string }
  | { readonly type: 'error'; readonly message: string }
  | { readonly type: 'config'; readonly username: string | null }
  /**
   * The answer to every `send`, by its id: without `refusal` the message is in the outbox and the
   * view may clear its draft; with it, nothing was queued and the view keeps the text.
   */
  | { readonly type: 'sendResult'; readonly id: number; readonly refusal?: string };

/** Every host→view message except the snapshot, which the panel's provider asks for itself. */
export type PanelUpdate = Exclude<HostToView, { type: 'snapshot' }>;

export type ViewToHost =
  | { readonly type: 'ready' }
  /** `id` (chosen by the view) names the `sendResult` that answers it; the host checks the text. */
  | { readonly type: 'send'; readonly id: number; readonly text: string }
  | { readonly type: 'loadOlder'; readonly beforeSeq: number }
  | { readonly type: 'openReference'; readonly path: string; readonly line: number }
  | { readonly type: 'openLink'; readonly url: string }
  | { readonly type: 'markRead' }
  | { readonly type: 'command'; readonly name: ViewCommand };

/** UTF-8 length without TextEncoder or Buffer, so both builds share it. Lone surrogates count as U+FFFD (3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Bytes the text takes inside its JSON body beyond the fixed overhead (quotes and control characters get escaped). */
export function encodedTextBytes(text: string): number {
  return utf8Length(JSON.stringify(text)) - 2;
}

/** Why this text cannot be sent, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.trim().length === 0) return 'Message is empty.';
  const bytes = encodedTextBytes(text);
  if (bytes > MAX_TEXT_BYTES) {
    return `Message is too long: ${bytes.toLocaleString('en-US')} of ${MAX_TEXT_BYTES.toLocaleString('en-US')} bytes.`;
  }
  return null;
}

/** Why this username is unusable (same rule as src/crypto/username.ts), or null when it is fine. */
export function usernameProblem(username: string | null): string | null {
  if (username === null || username.length === 0) return `Set a username (1–${USERNAME_MAX_BYTES} bytes) to chat.`;
  const bytes = utf8Length(username.normalize('NFC'));
  if (bytes > USERNAME_MAX_BYTES) return `Username must be 1–${USERNAME_MAX_BYTES} bytes of UTF-8 (it has ${bytes}).`;
  if (CONTROL_CHARACTERS.test(username)) return 'Username must not contain control characters.';
  return null;
}

/** http(s) only: a webview must never hand the host a javascript:, file: or command: URI to open. */
export function isWebLink(url: string): boolean {
  return url.length <= MAX_URL_LENGTH && /^https?:\/\/[^\s/?#]+[^\s]*$/iu.test(url);
}

/** A workspace-relative path with forward slashes that cannot climb out of the workspace. */
export function isWorkspaceRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || CONTROL_CHARACTERS.test(path)) return false;
  if (path.startsWith('/') || path.includes('\\') || /^[a-z]:/iu.test(path)) return false;
  return path.split('/').every((segment) => segment !== '..' && segment !== '');
}

// Field checks shared by both parsers.
type Fields = Record<string, unknown>;

function fields(value: unknown): Fields | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : null;
}

function isBoundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isOptionalString(value: unknown, max: number): value is string | undefined {
  return value === undefined || isBoundedString(value, max);
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function isOneOf<T extends string>(options: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}

function isUsername(value: unknown): value is string {
  return typeof value === 'string' && usernameProblem(value) === null;
}

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sent', 'failed'];
const CONNECTION_STATUSES: readonly ConnectionStatus[] = ['disconnected', 'connecting', 'connected', 'reconnecting', 'error'];

function parseSnippet(value: unknown): Snippet | null {
  const f = fields(value);
  if (!f) return null;
  const { code, language, path, startLine, endLine } = f;
  if (!isBoundedString(code, MAX_PLAINTEXT_BYTES) || !isBoundedString(language, 100) || typeof path !== 'string') return null;
  if (!isWorkspaceRelativePath(path) || !isCount(startLine, 1) || !isCount(endLine, 1) || endLine < startLine) return null;
  return { code, language, path, startLine, endLine };
}

/** One chat item, or null; exported for the host's model adapters and the tests. */
export function parseChatItem(value: unknown): ChatItem | null {
  const f = fields(value);
  if (!f) return null;
  const { id, seq, username, timestamp, text, snippet, own, status, reason } = f;
  if (typeof id !== 'string' || !/^[0-9a-f]{1,64}$/u.test(id)) return null;
  if (seq !== undefined && !isCount(seq, 0)) return null;
  if (!isUsername(username) || !isCount(timestamp, 0) || !isBoundedString(text, MAX_PLAINTEXT_BYTES)) return null;
  if (typeof own !== 'boolean' || !isOneOf(DELIVERY_STATUSES, status) || !isOptionalString(reason, MAX_DETAIL_LENGTH)) return null;
  const parsedSnippet = snippet === undefined ? undefined : parseSnippet(snippet);
  if (parsedSnippet === null) return null;
  return {
    id, username, timestamp, text, own, status,
    ...(seq === undefined ? {} : { seq }),
    ...(parsedSnippet ? { snippet: parsedSnippet } : {}),
    ...(reason === undefined ? {} : { reason }),
  };
}

function parseItems(value: unknown): ChatItem[] | null {
  if (!Array.isArray(value)) return null;
  const items: ChatItem[] = [];
  for (const entry of value) {
    const item = parseChatItem(entry);
    if (!item) return null;
    items.push(item);
  }
  return items;
}

function parseOnline(value: unknown): string[] | null {
  return Array.isArray(value) && value.length <= MAX_ONLINE && value.every(isUsername) ? (value as string[]) : null;
}

function parseConnection(f: Fields): ConnectionState | null {
  const { status, detail, address } = f;
  if (!isOneOf(CONNECTION_STATUSES, status)) return null;
  if (!isOptionalString(detail, MAX_DETAIL_LENGTH) || !isOptionalString(address, MAX_URL_LENGTH)) return null;
  return { status, ...(detail === undefined ? {} : { detail }), ...(address === undefined ? {} : { address }) };
}

function optionalUsername(value: unknown): { ok: boolean; value?: string } {
  if (value === undefined) return { ok: true };
  return isUsername(value) ? { ok: true, value } : { ok: false };
}

/** The webview's check of what the host posts; null for anything malformed. */
export function parseHostToView(value: unknown): HostToView | null {
  const f = fields(value);
  if (!f) return null;
  switch (f.type) {
    case 'snapshot': {
      const connection = fields(f.connection);
      const parsedConnection = connection && parseConnection(connection);
      const messages = parseItems(f.messages);
      const online = parseOnline(f.online);
      const me = f.me === null ? null : isUsername(f.me) ? f.me : undefined;
      if (!parsedConnection || !messages || !online || me === undefined || typeof f.hasOlder !== 'boolean') return null;
      if (!isOptionalString(f.draft, MAX_DRAFT_LENGTH)) return null;
      return {
        type: 'snapshot', connection: parsedConnection, me, messages, online, hasOlder: f.hasOlder,
        ...(f.draft === undefined ? {} : { draft: f.draft }),
      };
    }
    case 'messages': {
      const items = parseItems(f.items);
      if (!items || (f.position !== 'append' && f.position !== 'prepend') || typeof f.hasOlder !== 'boolean') return null;
      return { type: 'messages', items, position: f.position, hasOlder: f.hasOlder };
    }
    case 'delivery': {
      const { id, status, reason } = f;
      if (typeof id !== 'string' || !isOneOf(DELIVERY_STATUSES, status) || !isOptionalString(reason, MAX_DETAIL_LENGTH)) return null;
      return { type: 'delivery', id, status, ...(reason === undefined ? {} : { reason }) };
    }
    case 'connection': {
      const connection = parseConnection(f);
      return connection && { type: 'connection', ...connection };
    }
    case 'presence': {
      const online = parseOnline(f.online);
      const joined = optionalUsername(f.joined);
      const left = optionalUsername(f.left);
      if (!online || !joined.ok || !left.ok) return null;
      return {
        type: 'presence', online,
        ...(joined.value === undefined ? {} : { joined: joined.value }),
        ...(left.value === undefined ? {} : { left: left.value }),
      };
    }
    case 'error':
      return isBoundedString(f.message, MAX_DETAIL_LENGTH) && f.message.length > 0 ? { type: 'error', message: f.message } : null;
    case 'config':
      return f.username === null || isUsername(f.username) ? { type: 'config', username: f.username } : null;
    case 'sendResult': {
      const { id, refusal } = f;
      if (!isCount(id, 0) || !isOptionalString(refusal, MAX_DETAIL_LENGTH) || refusal === '') return null;
      return { type: 'sendResult', id, ...(refusal === undefined ? {} : { refusal }) };
    }
    default:
      return null;
  }
}

/** The host's check of what the webview posts; null for anything malformed, which the host ignores. */
export function parseViewToHost(value: unknown): ViewToHost | null {
  const f = fields(value);
  if (!f) return null;
  switch (f.type) {
    case 'ready':
    case 'markRead':
      return { type: f.type };
    case 'send':
      // Any draft-sized text passes: the host answers a bad one with a refusal, which a silent drop would not give.
      return isCount(f.id, 0) && isBoundedString(f.text, MAX_DRAFT_LENGTH) ? { type: 'send', id: f.id, text: f.text } : null;
    case 'loadOlder':
      return isCount(f.beforeSeq, 0) ? { type: 'loadOlder', beforeSeq: f.beforeSeq } : null;
    case 'openReference':
      return typeof f.path === 'string' && isWorkspaceRelativePath(f.path) && isCount(f.line, 1)
        ? { type: 'openReference', path: f.path, line: f.line }
        : null;
    case 'openLink':
      return typeof f.url === 'string' && isWebLink(f.url) ? { type: 'openLink', url: f.url } : null;
    case 'command':
      return isOneOf(VIEW_COMMANDS, f.name) ? { type: 'command', name: f.name } : null;
    default:
      return null;
  }
}
