// Messages between the extension host and the chat panel's webview. The webview holds no keys: the
// host sends it decrypted, already-verified chat items and receives what the user typed or clicked.
// Both sides validate everything they receive (a webview is a browser page; the host treats it as
// untrusted input), so each direction has a parser whose rejection names the field and why.
// This module is compiled for Node and for the browser, so it uses neither Node nor DOM APIs.
import { MAX_PLAINTEXT_BYTES, UNSAFE_CHARACTERS, USERNAME_MAX_BYTES, usernameLengthProblem } from '../crypto/limits';
import * as v from 'valibot';
import { BODY_OVERHEAD_BYTES } from './body';
import { Checked, check, flag, integer, list, oneOf, text, textWhere } from './check';
import { isSingleEmoji } from './emoji';
import {
  MAX_DETAIL_LENGTH, MAX_DRAFT_LENGTH, MAX_JOINED_ROOMS, MAX_LANGUAGE_ID_LENGTH, MAX_ONLINE, MAX_PANEL_TEXT_LENGTH, MAX_PATH_LENGTH, MAX_SEARCH_EXCERPT_LENGTH,
  MAX_SEARCH_QUERY_LENGTH, MAX_SEARCH_RESULTS, MAX_URL_LENGTH, REPLY_QUOTE_MAX_LENGTH,
} from './limits';
import { PANEL_TEXT_KEYS, Say, sayInEnglish } from './panelText';

/**
 * Largest text, in UTF-8 bytes, that fits one envelope once wrapped in its JSON body. Derived here,
 * not in limits.ts: the body's overhead is measured by body.ts, which imports limits.ts.
 */
export const MAX_TEXT_BYTES = MAX_PLAINTEXT_BYTES - BODY_OVERHEAD_BYTES;

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const CONNECTION_STATUSES = ['disconnected', 'connecting', 'connected', 'reconnecting', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
/** Buttons of the empty/offline state; the host runs the command `secureChat.<name>`. */
export const PANEL_COMMANDS = ['connect', 'reconnect', 'setPassword', 'setUsername', 'startServer'] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];
/** Avatar colours in the panel's palette (chat.css avatar-0 … avatar-5); the host picks one per key. */
export const AVATAR_COLOURS = 6;
/** A member's key id as the host names it to the panel and back: 16 lowercase hex digits. */
const memberId = () => textWhere((id) => /^[0-9a-f]{16}$/u.test(id), 'must be 16 lowercase hex digits');

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

/** Bytes a text with a snippet takes in its body beyond the fixed overhead; the text's own bytes without one. */
function encodedMessageBytes(text: string, snippet: PanelSnippet | undefined): number {
  return snippet === undefined ? encodedTextBytes(text) : utf8Length(JSON.stringify({ text, snippet })) - BODY_OVERHEAD_BYTES;
}

/** Why this text (with the snippet attached to it, if any) cannot be sent, or null when it can. A snippet needs no text. */
export function textProblem(text: string, say: Say = sayInEnglish, snippet?: PanelSnippet): string | null {
  if (snippet === undefined && text.trim().length === 0) return say('messageEmpty');
  const bytes = encodedMessageBytes(text, snippet);
  if (bytes > MAX_TEXT_BYTES) return say('messageTooLong', bytes.toLocaleString('en-US'), MAX_TEXT_BYTES.toLocaleString('en-US'));
  return null;
}

/**
 * Why this username is unusable (the rule of src/crypto/username.ts, in the panel's words), or null
 * when it is fine.
 */
export function usernameProblem(username: string | null, say: Say = sayInEnglish): string | null {
  if (username === null || username.length === 0) return say('usernameMissing', USERNAME_MAX_BYTES);
  // Not empty once normalised (NFC keeps at least one code point): what is left is too long.
  const bytes = utf8Length(username.normalize('NFC'));
  if (usernameLengthProblem(bytes) !== null) return say('usernameTooLong', USERNAME_MAX_BYTES, bytes);
  if (UNSAFE_CHARACTERS.test(username)) return say('usernameUnsafe');
  return null;
}

/** http(s) only: a webview must never hand the host a javascript:, file: or command: URI to open. */
export function isWebLink(url: string): boolean {
  return url.length <= MAX_URL_LENGTH && /^https?:\/\/[^\s/?#]+[^\s]*$/iu.test(url);
}

/**
 * What a path segment the view offers to open may hold: letters, marks, digits, space and a few
 * punctuation marks. Paths come from other members and an opened one that is not in the workspace is
 * named in a VS Code notification, which turns `[label](command:...)` into a link that runs a command:
 * with no brackets, parentheses or colon a path can name no link or scheme.
 */
const PATH_SEGMENT = /^[\p{L}\p{M}\p{N} ._+@#~,=&!'$%-]+$/u;

/** A workspace-relative path with forward slashes that cannot climb out of the workspace, of the characters above: one the view offers to open. */
export function isWorkspaceRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) return false;
  return path.split('/').every((segment) => segment !== '..' && PATH_SEGMENT.test(segment));
}

/** Text the view can show as it is: 1 to MAX_PATH_LENGTH characters, none a control or format character. */
const isShowable = (path: string): boolean => path.length > 0 && path.length <= MAX_PATH_LENGTH && !UNSAFE_CHARACTERS.test(path);

/** Relative with forward slashes, not climbing: no empty or ".." segment, no backslash, no drive ("C:/"). */
const isRelative = (path: string): boolean => !path.includes('\\') && !/^[a-z]:/iu.test(path) && path.split('/').every((segment) => segment !== '' && segment !== '..');

/**
 * The path a snippet shows, whatever characters its file's name has (a(b).ts, [slug].tsx): a relative
 * path as it is, otherwise its file name (an absolute path says more about a machine than a teammate
 * needs), or "snippet" when not even that is text to show. The view shows it as text, and offers to
 * open it only when isWorkspaceRelativePath holds.
 */
export function snippetPath(path: string): string {
  if (isRelative(path) && isShowable(path)) return path;
  const name = path.split(/[/\\]/u).filter((part) => part !== '' && part !== '..').pop() ?? '';
  return isShowable(name) ? name : 'snippet';
}

// Each message is declared once; its type is derived from the declaration.
const username = () => textWhere((name) => usernameProblem(name) === null, 'must be a username of 1-16 bytes without control or format characters');
const optionalText = (maxLength: number) => v.optional(text(maxLength));

/** A snippet as the panel shows it: the body's snippet with a bounded code and a path that stays in the workspace. */
const PanelSnippetSchema = v.pipe(
  v.object({
    code: text(MAX_PLAINTEXT_BYTES),
    /** VS Code language id, e.g. "typescript". */
    language: text(MAX_LANGUAGE_ID_LENGTH),
    path: textWhere((path) => snippetPath(path) === path, 'must be a relative path or a file name'),
    /** 1-based, inclusive. */
    startLine: integer(1),
    endLine: integer(1),
  }, 'must be an object'),
  v.check((snippet) => snippet.endLine >= snippet.startLine, 'has "endLine" before "startLine"'),
  v.readonly(),
);
export type PanelSnippet = v.InferOutput<typeof PanelSnippetSchema>;

/** Hex message id as the panel knows it (a client's 32 digits, or the host's own id for a message still waiting). */
const messageId = () => textWhere((id) => /^[0-9a-f]{1,64}$/u.test(id), 'must be 1-64 lowercase hex digits');
const reaction = () => textWhere(isSingleEmoji, 'must be a single emoji');

const ChatItemSchema = v.pipe(v.object({
  /** Hex message id; stable across pending → sent, so delivery updates find the item. */
  id: messageId(),
  /** Server sequence number; absent until the server has stored the message. */
  seq: v.optional(integer(0)),
  username: username(),
  /** Sender's clock, ms since the epoch. */
  timestamp: integer(0),
  text: text(MAX_PLAINTEXT_BYTES),
  snippet: v.optional(PanelSnippetSchema),
  /** The message this one answers, with the quote its sender put in it. */
  replyTo: v.optional(v.pipe(v.object({ id: messageId(), username: username(), text: text(REPLY_QUOTE_MAX_LENGTH) }, 'must be an object'), v.readonly())),
  /** A reaction, which the view folds into the message it names instead of showing it; its text is empty. */
  react: v.optional(v.pipe(v.object({ to: messageId(), emoji: reaction(), on: flag() }, 'must be an object'), v.readonly())),
  /** A new version of the message `to` (its text is the new text): the view shows it in that message's place. */
  edit: v.optional(v.pipe(v.object({ to: messageId() }, 'must be an object'), v.readonly())),
  /** A tombstone of the message `to`, whose text is empty: the view shows "message deleted" in that message's place. */
  delete: v.optional(v.pipe(v.object({ to: messageId() }, 'must be an object'), v.readonly())),
  /** The signer's whole public key in hex (absent for unsigned history): an edit or delete counts only from its target's signer. */
  signer: v.optional(textWhere((key) => /^[0-9a-f]{64}$/u.test(key), 'must be 64 lowercase hex digits')),
  own: flag(),
  /** History from before messages were signed: nothing proves who sent it. Absent for signed messages. */
  unsigned: v.optional(flag()),
  /** Signed by a member this installation verified (safety numbers compared): the panel shows a badge. */
  verified: v.optional(flag()),
  /** The host's loud words for a key that took a verified member's name, shown on every such message. */
  warning: optionalText(MAX_PANEL_TEXT_LENGTH),
  /** The avatar's colour, from the signer's key (absent for unsigned history: the panel picks by name). */
  colour: v.optional(integer(0, AVATAR_COLOURS - 1)),
  status: oneOf(DELIVERY_STATUSES, 'delivery status'),
  /** Why delivery failed (status 'failed' only). */
  reason: optionalText(MAX_DETAIL_LENGTH),
}, 'must be an object'), v.readonly());
export type ChatItem = v.InferOutput<typeof ChatItemSchema>;

const connectionEntries = {
  status: oneOf(CONNECTION_STATUSES, 'connection status'),
  /** Human-readable cause, e.g. "wrong password" or why a reconnect is needed. */
  detail: optionalText(MAX_DETAIL_LENGTH),
  /** Server address, shown in the banner. */
  address: optionalText(MAX_URL_LENGTH),
  /** While reconnecting: when the next try starts (ms since the epoch), which the view counts down to. */
  retryAt: v.optional(integer(0)),
  /** What the panel offers as buttons while not connected, most likely first (e.g. Reconnect after Disconnect). */
  actions: v.optional(v.pipe(list(oneOf(PANEL_COMMANDS, 'command'), PANEL_COMMANDS.length), v.readonly())),
  /**
   * Typed messages wait unsealed: the room's key is not known in this window yet (never yet, or
   * wiped after a refused password), so they are kept in memory only until it is, and lost if VS
   * Code closes first. The panel says so.
   */
  noRoomKey: v.optional(flag()),
};
const PanelConnectionSchema = v.pipe(v.object(connectionEntries, 'must be an object'), v.readonly());
export type PanelConnection = v.InferOutput<typeof PanelConnectionSchema>;

const items = () => v.pipe(v.array(ChatItemSchema, 'must be an array'), v.readonly());
/** One member online (one identity key): its name, and what tells it apart from another of the same name. */
const OnlineEntrySchema = v.pipe(v.object({
  name: username(),
  /** The first 8 hex digits of the member's key id, grouped ("0d48 ac3f"): only when another member online has the same name. */
  tag: v.optional(textWhere((tag) => /^[0-9a-f]{4} [0-9a-f]{4}$/u.test(tag), 'must be 8 hex digits in two groups of four')),
  /** Signed in with this installation's identity key. */
  me: flag(),
  /** The member's full key id, which the panel names back to ask for their verification (absent for oneself). */
  id: v.optional(memberId()),
  /** Verified by this installation: the panel shows a badge. */
  verified: v.optional(flag()),
  /** Under a name a verified member used, with another key: the panel marks it loudly. */
  keyChanged: v.optional(flag()),
}, 'must be an object'), v.readonly());
export type OnlineEntry = v.InferOutput<typeof OnlineEntrySchema>;
const online = () => v.pipe(list(OnlineEntrySchema, MAX_ONLINE), v.readonly());
/** A member came under another name: the panel says "from is now to". */
const RenameSchema = v.pipe(v.object({ from: username(), to: username() }, 'must be an object'), v.readonly());

const snapshotEntries = {
  connection: PanelConnectionSchema,
  /** Current username, or null when none is set yet. */
  me: v.nullable(username()),
  /** The most recent messages, oldest first; older ones come through loadOlder. */
  messages: items(),
  online: online(),
  hasOlder: flag(),
  /** Text to put in the composer (e.g. a command that prefills it); absent keeps the view's draft. */
  draft: optionalText(MAX_DRAFT_LENGTH),
  /** The panel's words in the user's language (see panelText.ts), by key; a key left out keeps its English. */
  text: v.optional(v.pipe(
    v.record(v.string(), text(MAX_PANEL_TEXT_LENGTH), 'must be an object of texts'),
    v.check((texts) => Object.keys(texts).every((key) => (PANEL_TEXT_KEYS as readonly string[]).includes(key)), 'has an unknown key'),
    v.readonly(),
  )),
  /** The first of the messages that came while the panel was hidden: the view puts "New messages" above it. */
  unreadFrom: v.optional(messageId()),
};

// Search (the host walks and opens the whole history; the panel shows what it finds). Kept in one
// block: the host→view and view→host messages below are spread into the two variants.

const SearchResultSchema = v.pipe(v.object({
  id: messageId(),
  /** The message's seq: the panel loads history back to it to show it. */
  seq: integer(1),
  username: username(),
  timestamp: integer(0),
  /** The message's current text (its author's edits folded in), cut to a window around the match. */
  text: text(MAX_SEARCH_EXCERPT_LENGTH),
  /** What matched, in UTF-16 units of `text` or of `username`: the panel marks it. */
  match: v.optional(v.pipe(v.object({
    field: oneOf(['text', 'username'] as const, 'field'),
    start: integer(0, MAX_SEARCH_EXCERPT_LENGTH),
    end: integer(0, MAX_SEARCH_EXCERPT_LENGTH),
  }, 'must be an object'), v.check((span) => span.start < span.end, 'has "end" not after "start"'), v.readonly())),
}, 'must be an object'), v.readonly());
export type SearchResult = v.InferOutput<typeof SearchResultSchema>;

const SEARCH_HOST_TO_VIEW = [
  /** "Search Messages..." (the command or its keybinding): the panel opens its search box. */
  v.pipe(v.object({ type: v.literal('openSearch') }), v.readonly()),
  /**
   * Results of the search `id` (the view's), newest first, as the host finds them, page after page;
   * `done` ends it, `capped` when MAX_SEARCH_RESULTS stopped it early, `failed` when it could not go on.
   */
  v.pipe(v.object({
    type: v.literal('searchResults'), id: integer(0), results: v.pipe(list(SearchResultSchema, MAX_SEARCH_RESULTS), v.readonly()),
    done: flag(), capped: v.optional(flag()), failed: optionalText(MAX_DETAIL_LENGTH),
  }), v.readonly()),
] as const;

const SEARCH_VIEW_TO_HOST = [
  /** A search of the whole history; `id` (chosen by the view) names its results. Cancels the one before. */
  v.object({ type: v.literal('search'), id: integer(0), query: text(MAX_SEARCH_QUERY_LENGTH, 1) }),
  /** The search box closed: the host stops the walk. */
  v.object({ type: v.literal('searchClosed') }),
] as const;

// Rooms (one session per joined room, one of them shown). Kept in one block like search.

/** A joined room as the room row shows it; the host names it by its address, which the panel hands back. */
const PanelRoomSchema = v.pipe(v.object({
  address: text(MAX_URL_LENGTH, 1),
  /** The room's name, or host:port for a server's default room. */
  name: text(MAX_URL_LENGTH, 1),
  /** Messages from others not seen yet. */
  unread: integer(0),
  /** The room the panel shows. */
  active: flag(),
  status: oneOf(CONNECTION_STATUSES, 'connection status'),
}, 'must be an object'), v.readonly());
export type PanelRoom = v.InferOutput<typeof PanelRoomSchema>;

const ROOMS_HOST_TO_VIEW = [
  /** Every joined room, in the order joined: sent with each snapshot and whenever a count, a status or the list changes. */
  v.pipe(v.object({ type: v.literal('rooms'), rooms: v.pipe(list(PanelRoomSchema, MAX_JOINED_ROOMS), v.readonly()) }), v.readonly()),
] as const;

const ROOMS_VIEW_TO_HOST = [
  /** A click in the room row: show that joined room (the host ignores an address it has not joined). */
  v.object({ type: v.literal('switchRoom'), address: text(MAX_URL_LENGTH, 1) }),
] as const;

const HostToViewSchema = v.variant('type', [
  v.pipe(v.object({ type: v.literal('snapshot'), ...snapshotEntries }), v.readonly()),
  /**
   * 'append': news, at the end; 'prepend': older history, in front; 'byTime': history that came
   * again as a live frame (a replayed capture), placed among the others by its timestamp.
   */
  v.pipe(v.object({ type: v.literal('messages'), items: items(), position: oneOf(['append', 'prepend', 'byTime'] as const, 'position'), hasOlder: flag() }), v.readonly()),
  v.pipe(v.object({ type: v.literal('delivery'), id: v.string('must be a string'), status: oneOf(DELIVERY_STATUSES, 'delivery status'), reason: optionalText(MAX_DETAIL_LENGTH) }), v.readonly()),
  v.pipe(v.object({ type: v.literal('connection'), ...connectionEntries }), v.readonly()),
  v.pipe(v.object({
    type: v.literal('presence'), online: online(), joined: v.optional(username()), left: v.optional(username()), renamed: v.optional(RenameSchema),
  }), v.readonly()),
  v.pipe(v.object({ type: v.literal('error'), message: text(MAX_DETAIL_LENGTH, 1) }), v.readonly()),
  v.pipe(v.object({ type: v.literal('config'), username: v.nullable(username()) }), v.readonly()),
  /** A member online is typing (a verified signal): the view says so until TYPING_EXPIRY_MS after the last, or their message. */
  v.pipe(v.object({ type: v.literal('typing'), name: username() }), v.readonly()),
  /**
   * The answer to every `send`, by its id: without `refusal` the message is in the outbox and the
   * view may clear its draft; with it, nothing was queued and the view keeps the text.
   */
  v.pipe(v.object({ type: v.literal('sendResult'), id: integer(0), refusal: v.optional(text(MAX_DETAIL_LENGTH, 1)) }), v.readonly()),
  /** "Send Selection to Chat": the composer shows the snippet as an attachment, for a comment to go with it. */
  v.pipe(v.object({ type: v.literal('attachSnippet'), snippet: PanelSnippetSchema }), v.readonly()),
  /** A message link was opened: the panel brings the message into view, loading older history until it is there. */
  v.pipe(v.object({ type: v.literal('showMessage'), id: messageId() }), v.readonly()),
  ...SEARCH_HOST_TO_VIEW,
  ...ROOMS_HOST_TO_VIEW,
], 'must be a known message type');
export type HostToView = v.InferOutput<typeof HostToViewSchema>;
/** What the panel shows at once: the snapshot message without its type. */
export type PanelSnapshot = Omit<Extract<HostToView, { type: 'snapshot' }>, 'type'>;

/** Every host→view message except the snapshot, which the panel's provider asks for itself. */
export type PanelUpdate = Exclude<HostToView, { type: 'snapshot' }>;

const ViewToHostSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  /**
   * `id` (chosen by the view) names the `sendResult` that answers it; the host checks the text. `edits`: the text is a new version of that message;
   * `snippet`: the attachment "Send Selection to Chat" put in the composer, which goes with the text.
   */
  // Any draft-sized text passes: the host answers a bad one with a refusal, which a silent drop would not give.
  v.object({
    type: v.literal('send'), id: integer(0), text: text(MAX_DRAFT_LENGTH), replyTo: v.optional(messageId()), edits: v.optional(messageId()), snippet: v.optional(PanelSnippetSchema),
  }),
  /** "Delete" on one of the user's own messages. */
  v.object({ type: v.literal('delete'), to: messageId() }),
  v.object({ type: v.literal('loadOlder'), beforeSeq: integer(0) }),
  /** The user's emoji on the message `to` (on), or taken back (not on). */
  v.object({ type: v.literal('react'), to: messageId(), emoji: reaction(), on: flag() }),
  v.object({ type: v.literal('openReference'), path: textWhere(isWorkspaceRelativePath, 'must be a workspace-relative path'), line: integer(1) }),
  v.object({ type: v.literal('openLink'), url: textWhere(isWebLink, 'must be an http(s) link') }),
  v.object({ type: v.literal('markRead') }),
  /** "Copy" on a message: the host puts its plain text on the clipboard. */
  v.object({ type: v.literal('copy'), id: messageId() }),
  /** "Copy Link" on a message: the host puts a link that opens the chat at it on the clipboard. */
  v.object({ type: v.literal('copyLink'), id: messageId() }),
  /** The composer's text changed: the host tells the room at most once per TYPING_INTERVAL_MS. */
  v.object({ type: v.literal('typing') }),
  v.object({ type: v.literal('command'), name: oneOf(PANEL_COMMANDS, 'command') }),
  /** "Verify" on a member's entry in the online list: the host shows the safety number for that key id. */
  v.object({ type: v.literal('verifyMember'), id: memberId() }),
  ...SEARCH_VIEW_TO_HOST,
  ...ROOMS_VIEW_TO_HOST,
], 'must be a known message type');
export type ViewToHost = v.InferOutput<typeof ViewToHostSchema>;

/** One chat item; exported for the host's model adapters and the tests. */
export function parseChatItem(value: unknown): Checked<ChatItem> {
  return check(ChatItemSchema, value);
}

/** A snippet the panel kept in its saved state: checked again when the page is loaded with it. */
export function parsePanelSnippet(value: unknown): Checked<PanelSnippet> {
  return check(PanelSnippetSchema, value);
}

/** The webview's check of what the host posts. */
export function parseHostToView(value: unknown): Checked<HostToView> {
  return check(HostToViewSchema, value);
}

/** The host's check of what the webview posts; the host drops (and logs) what fails. */
export function parseViewToHost(value: unknown): Checked<ViewToHost> {
  return check(ViewToHostSchema, value);
}
