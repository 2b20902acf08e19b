// What the chat panel shows, kept in the extension host: recent messages (bounded), who is online
// and the connection, plus the mapping from the client's events to the view's items and updates.
// Free of the vscode API so it is unit-tested in plain Node.
import type { ChatMessage, ConnectionState as ClientState, LocalMessage, OnlineMember, RenamedMember } from '../../client';
import type { MessageBody, Snippet } from '../../protocol/body';
import { valueOrNull } from '../../protocol/check';
import { EditBook, isAmendment } from '../../protocol/edits';
import { MAX_DETAIL_LENGTH, MAX_LANGUAGE_ID_LENGTH } from '../../protocol/limits';
import {
  ChatItem, OnlineEntry, PanelCommand, PanelConnection, DeliveryStatus, PanelSnapshot, PanelUpdate, parseChatItem, snippetPath,
} from '../../protocol/panel';
import { onlineEntries, presenceChange } from './onlineList';
import { VerificationBook } from './memberTrust';
import { reconnectReasonWords } from './reconnectWords';
import { Translate, english } from './words';

/** Messages in a snapshot; older ones reach the view page by page through loadOlder. */
export const SNAPSHOT_LIMIT = 500;
/** Messages kept in memory at all; beyond this the oldest are dropped and cannot be paged back. */
export const ARCHIVE_LIMIT = 5_000;

const UNREADABLE_TEXT = '[this message could not be shown]';

/** A snippet path from another member is data: one the view would refuse becomes its file name (snippetPath). */
function panelSnippet(snippet: Snippet): Snippet {
  return { ...snippet, path: snippetPath(snippet.path), language: snippet.language.slice(0, MAX_LANGUAGE_ID_LENGTH) };
}

/** What the host decided about a message's signer (memberIdentity.ts's senderView), for the panel to show. */
export type SenderMarks = Pick<ChatItem, 'verified' | 'warning' | 'colour'>;

/**
 * The view item for a message; checked with the view's own parser, because one malformed item would
 * make the page drop the whole update it came in. Undefined only for a message with no valid fields.
 */
export function toChatItem(
  message: { id: string; seq?: number; username: string; timestamp: number; body: MessageBody; own: boolean; unsigned?: boolean; signer?: Uint8Array | null },
  status: DeliveryStatus,
  marks: SenderMarks = {},
): ChatItem | undefined {
  const { id, seq, username, timestamp, body, own, unsigned, signer } = message;
  const base = {
    id, username, timestamp, own, status, ...(seq === undefined ? {} : { seq }), ...(unsigned === true ? { unsigned } : {}),
    ...(signer ? { signer: Buffer.from(signer).toString('hex') } : {}), ...marks,
  };
  if (body.react) return valueOrNull(parseChatItem({ ...base, text: '', react: body.react })) ?? undefined;
  if (body.delete) return valueOrNull(parseChatItem({ ...base, text: '', delete: body.delete })) ?? undefined;
  if (body.edit) return valueOrNull(parseChatItem({ ...base, text: body.text, edit: body.edit })) ?? undefined;
  const content = { ...base, text: body.text, ...(body.snippet ? { snippet: panelSnippet(body.snippet) } : {}) };
  const replyTo = body.replyTo && { id: body.replyTo.id, username: body.replyTo.name, text: body.replyTo.text };
  return (
    // A quote the view would refuse (a name no member could have) costs the reply its quote, not its text.
    (replyTo ? valueOrNull(parseChatItem({ ...content, replyTo })) : null) ??
    valueOrNull(parseChatItem(content)) ??
    valueOrNull(parseChatItem({ ...base, text: UNREADABLE_TEXT })) ??
    undefined
  );
}

/** `signer`: this installation's key, which signs what it sends. */
export function localItem(message: LocalMessage, signer?: Uint8Array): ChatItem | undefined {
  return toChatItem({ ...message, own: true, signer }, 'pending');
}

export function receivedItem(message: ChatMessage, marks: SenderMarks = {}): ChatItem | undefined {
  return toChatItem({ ...message, unsigned: message.signer === null }, 'sent', marks);
}

function fatalDetail(kind: Extract<ClientState, { status: 'error' }>['kind'], t: Translate): string {
  switch (kind) {
    case 'auth-failed':
      return t('Wrong room password, or a server that does not know it. Use “Set Password” to enter it again.');
    case 'room-changed':
      return t('The server at this address presents another room than before; it may not be your team’s server. Nothing was sent to it.');
    case 'name-taken':
      return t('Another member of this room already uses this name. Use “Set Username” to choose another.');
    case 'incompatible':
      return t('This server is not compatible with this version of Secure Chat.');
  }
}

/** What the user can do about a fatal error: retype the password, pick another name, or try again. */
const FATAL_ACTIONS: Partial<Record<Extract<ClientState, { status: 'error' }>['kind'], readonly PanelCommand[]>> = {
  'auth-failed': ['setPassword'],
  'name-taken': ['setUsername'],
};

/**
 * Why the chat went offline when it was asked to: the user's Disconnect, or this window's own
 * server stopping (which nothing would answer, so the chat does not retry it).
 */
export type OfflineReason = 'disconnected' | 'server-stopped';

function offlineParts(offline: OfflineReason, t: Translate): Pick<PanelConnection, 'detail' | 'actions'> {
  return offline === 'disconnected'
    ? { actions: ['reconnect', 'connect'] }
    : { detail: t('The server on this computer was stopped.'), actions: ['startServer', 'reconnect'] };
}

/**
 * `now` stamps when a reconnect wait ends (retryAt), which the view counts down to by itself; `t`
 * puts the details in the user's language.
 */
export function panelConnection(state: ClientState, address: string, offline: OfflineReason = 'disconnected', now = Date.now(), t: Translate = english): PanelConnection {
  switch (state.status) {
    case 'disconnected':
      return { status: 'disconnected', address, ...offlineParts(offline, t) };
    case 'connecting':
      return { status: 'connecting', address };
    case 'authenticating':
      return { status: 'connecting', detail: t('verifying the room password…'), address };
    case 'connected':
      return { status: 'connected', address };
    case 'reconnecting':
      return { status: 'reconnecting', detail: reconnectReasonWords(state.reason, t).slice(0, MAX_DETAIL_LENGTH), retryAt: now + state.inMs, address, actions: ['reconnect'] };
    case 'error':
      return { status: 'error', detail: fatalDetail(state.kind, t), address, actions: FATAL_ACTIONS[state.kind] ?? ['connect'] };
  }
}

export class PanelState {
  /** Oldest first: history pages go in front, live and own messages at the end. */
  private items: ChatItem[] = [];
  /** The edits and deletes among them, folded by the panel's own rule for what Copy takes. */
  private readonly edits = new EditBook();
  private members: readonly OnlineMember[] = [];
  private online: readonly OnlineEntry[] = [];
  private connection: PanelConnection;
  /** The server said it holds messages older than the oldest here. */
  private serverHasOlder = false;
  /** Messages were dropped from the front, so the server's older pages no longer join up. */
  private trimmed = false;
  /** Oldest seq the view was given, to answer whether it has anything older to ask for. */
  private viewOldest: number | undefined;

  /** Offline until the session connects, with the way back in (a joined room kept offline at start shows it). */
  constructor(address: string) {
    this.connection = panelConnection({ status: 'disconnected' }, address);
  }

  snapshot(me: string | null): PanelSnapshot {
    const messages = this.items.slice(-SNAPSHOT_LIMIT);
    this.viewOldest = oldestSeq(messages);
    return { connection: this.connection, me, messages, online: this.online, hasOlder: this.hasOlderThan(this.viewOldest) };
  }

  /** The connection the panel was last given. */
  get shownConnection(): PanelConnection {
    return this.connection;
  }

  setConnection(connection: PanelConnection): PanelUpdate {
    this.connection = connection;
    return { type: 'connection', ...connection };
  }

  /** `mine`: this installation's identity public key, which the list marks "(you)"; `book`: the room's verifications. */
  setOnline(members: readonly OnlineMember[], mine: Uint8Array, book?: VerificationBook): PanelUpdate {
    const change = presenceChange(this.members, members);
    this.members = members;
    this.online = onlineEntries(members, mine, book);
    return { type: 'presence', online: this.online, ...change };
  }

  /** The room's verifications changed: every entry and message gets its marks again (a snapshot shows them). */
  retrust(mine: Uint8Array, book: VerificationBook, marks: (item: ChatItem) => SenderMarks): void {
    this.online = onlineEntries(this.members, mine, book);
    this.items = this.items.map((item) => {
      const bare: ChatItem = { ...item };
      for (const field of ['verified', 'warning', 'colour'] as const) delete (bare as Partial<ChatItem>)[field];
      return { ...bare, ...marks(item) };
    });
  }

  /** A member under another name: the panel says "from is now to". */
  renamed(rename: RenamedMember): PanelUpdate {
    return { type: 'presence', online: this.online, renamed: { from: rename.from, to: rename.to } };
  }

  append(item: ChatItem): PanelUpdate {
    this.items.push(item);
    this.noteAmendments([item]);
    if (this.items.length > ARCHIVE_LIMIT) {
      this.items.splice(0, this.items.length - ARCHIVE_LIMIT);
      this.trimmed = true;
    }
    return { type: 'messages', items: [item], position: 'append', hasOlder: this.hasOlderThan(this.viewOldest) };
  }

  /** History that arrived as a live frame: among the others by its timestamp, after any of the same time. */
  placeByTime(item: ChatItem): PanelUpdate {
    let index = this.items.length;
    while (index > 0 && this.items[index - 1].timestamp > item.timestamp) index--;
    this.items.splice(index, 0, item);
    this.noteAmendments([item]);
    return { type: 'messages', items: [item], position: 'byTime', hasOlder: this.hasOlderThan(this.viewOldest) };
  }

  /** A page from the server, older than everything here. */
  prependFromServer(items: readonly ChatItem[], hasMore: boolean): PanelUpdate {
    this.items.unshift(...items);
    this.noteAmendments(items);
    this.serverHasOlder = hasMore;
    return this.prepended(items);
  }

  /** The page before `beforeSeq` when memory holds one; undefined when it must come from the server. */
  olderPage(beforeSeq: number, pageSize: number): PanelUpdate | undefined {
    const older = this.items.filter((item) => item.seq !== undefined && item.seq < beforeSeq);
    if (older.length === 0 && !this.trimmed) return undefined;
    return this.prepended(older.slice(-pageSize), beforeSeq);
  }

  /** An answer that adds nothing, so the view stops waiting for the page it asked for. */
  emptyPage(): PanelUpdate {
    return { type: 'messages', items: [], position: 'prepend', hasOlder: this.hasOlderThan(this.viewOldest) };
  }

  /** The message with this id, if it is still held. */
  item(id: string): ChatItem | undefined {
    return this.items.find((item) => item.id === id);
  }

  /** A held message's text as it reads now (its author's edits folded in); undefined when not held, or deleted. */
  currentText(id: string): string | undefined {
    const item = this.item(id);
    return item && this.edits.currentText(item);
  }

  setDelivery(id: string, status: DeliveryStatus, seq?: number, reason?: string): PanelUpdate {
    // An edit or delete of the user's that was not sent changes nothing.
    if (status === 'failed') this.edits.failed(id);
    const index = this.items.findIndex((item) => item.id === id);
    if (index >= 0) {
      // A reason belongs to the status it came with; a later status drops it.
      const item: ChatItem = { ...this.items[index], status, ...(seq === undefined ? {} : { seq }) };
      this.items[index] = reason === undefined ? withoutReason(item) : { ...item, reason };
    }
    return { type: 'delivery', id, status, ...(reason === undefined ? {} : { reason: reason.slice(0, MAX_DETAIL_LENGTH) }) };
  }

  private noteAmendments(items: readonly ChatItem[]): void {
    this.edits.add(items.filter(isAmendment));
  }

  /** `viewEdge`: the view's oldest seq before this page, when known. */
  private prepended(items: readonly ChatItem[], viewEdge = this.viewOldest): PanelUpdate {
    this.viewOldest = oldestSeq(items) ?? viewEdge;
    return { type: 'messages', items, position: 'prepend', hasOlder: this.hasOlderThan(this.viewOldest) };
  }

  private hasOlderThan(seq: number | undefined): boolean {
    if (seq !== undefined && this.items.some((item) => item.seq !== undefined && item.seq < seq)) return true;
    return this.serverHasOlder && !this.trimmed;
  }
}

function withoutReason(item: ChatItem): ChatItem {
  const copy = { ...item };
  delete (copy as { reason?: string }).reason;
  return copy;
}

/** The lowest seq among `items` (messages without one, not yet stored, have none). */
export function oldestSeq(items: readonly { readonly seq?: number }[]): number | undefined {
  let oldest: number | undefined;
  for (const item of items) if (item.seq !== undefined && (oldest === undefined || item.seq < oldest)) oldest = item.seq;
  return oldest;
}
