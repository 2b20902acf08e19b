// One chat client for one server address, seen the way the panel needs it: the client's events
// become panel updates (through PanelState). Free of the vscode API for plain-Node tests.
import { ChatClient, ChatClientError, TypedEmitter, errorMessage } from '../../client';
import type { ChatClientOptions, ChatMessage, ConnectionState, DeliveryUpdate, HistoryPage, MessageBody, OnlineMember, SealedOutboxEntry } from '../../client';
import { replyQuote } from '../../protocol/body';
import { HISTORY_PAGE_DEFAULT, MAX_DETAIL_LENGTH } from '../../protocol/limits';
import { AVATAR_COLOURS, ChatItem, PanelConnection, PanelSnapshot, PanelUpdate } from '../../protocol/panel';
import { plainText } from './plainText';
import { walkHistory } from './roomSearch';
import { senderView, trustNotice } from './memberIdentity';
import { VerificationBook } from './memberTrust';
import { ARCHIVE_LIMIT, OfflineReason, PanelState, SenderMarks, localItem, receivedItem, panelConnection } from './panelState';
import { Translate, english } from './words';

export interface ChatSessionEvents {
  /** Something the panel should show. */
  update: PanelUpdate;
  /** The client's state or who is online changed (for the status bar). */
  change: ConnectionState;
  /** News from the room (ChatMessage.news): live or caught up; not history pages, nor history sent again. */
  message: ChatMessage;
  /** What waits to be sent changed: sealed entries only, to keep across a restart (options.outbox). */
  outbox: readonly SealedOutboxEntry[];
}

export type ChatSessionOptions = Pick<
  ChatClientOptions, 'address' | 'password' | 'username' | 'historyPageSize' | 'logger' | 'minIterations' | 'reconnect' | 'pinnedRoom' | 'outbox' | 'identity'
> & {
  /** The room's verifications, read for every message and presence list (the room is known once connected). */
  readonly verifications?: (roomId: string | undefined) => VerificationBook;
  /** The words the panel gets from the session (details, warnings), in the user's language. Default English. */
  readonly translate?: Translate;
};

export class ChatSession {
  readonly address: string;
  private readonly client: ChatClient;
  private readonly panel: PanelState;
  private readonly pageSize: number;
  private readonly events: TypedEmitter<ChatSessionEvents>;
  private readonly unsubscribe: (() => void)[];
  /** Why the next 'disconnected' state happens, while disconnect() is under way. */
  private offline: OfflineReason = 'disconnected';
  private readonly verifications: (roomId: string | undefined) => VerificationBook;
  private readonly t: Translate;
  /** The signer of each signed message the panel holds, by id, to mark them again when verifications change. */
  private signers = new Map<string, Uint8Array>();
  /** The search under way, which a new one or cancelSearch() stops. */
  private searching: { cancelled: boolean } | undefined;

  /** Throws ChatClientError (address) or UsernameError for options the client refuses. */
  constructor(options: ChatSessionOptions) {
    this.client = new ChatClient(options);
    this.address = options.address;
    this.pageSize = options.historyPageSize ?? HISTORY_PAGE_DEFAULT;
    this.panel = new PanelState(options.address);
    const unverified = new VerificationBook();
    this.verifications = options.verifications ?? (() => unverified);
    this.t = options.translate ?? english;
    const logger = options.logger;
    this.events = new TypedEmitter((event, error) => logger?.log('error', 'chat-listener-threw', { event: String(event), error: errorMessage(error) }));
    this.unsubscribe = [
      this.client.on('state', (state) => this.onState(state)),
      this.client.on('presence', (online) => {
        this.emitUpdate(this.panel.setOnline(online, this.client.identityPublicKey(), this.book()));
        this.events.emit('change', this.client.state);
      }),
      this.client.on('renamed', (rename) => this.emitUpdate(this.panel.renamed(rename))),
      this.client.on('message', (message) => this.onMessage(message)),
      this.client.on('history', (page) => this.onHistory(page)),
      this.client.on('delivery', (update) => this.onDelivery(update)),
      // Typed before VS Code last closed: shown once the room's keys open it, then delivered as any.
      this.client.on('reloaded', (local) => this.showOwn(local.id, local.timestamp, local.body)),
      this.client.on('outbox', (entries) => this.onOutbox(entries)),
      this.client.on('typing', (member) => this.emitUpdate({ type: 'typing', name: member.name })),
    ];
  }

  get state(): ConnectionState {
    return this.client.state;
  }

  get username(): string {
    return this.client.username;
  }

  /** Hex id of the room a server at this address proved it serves, once one has. */
  get roomId(): string | undefined {
    return this.client.roomId;
  }

  /** Names online, one per member (two members of one name are two entries). */
  get online(): readonly string[] {
    return this.client.online.map((member) => member.name);
  }

  /** The members online, by key, as the client sees them. */
  get members(): readonly OnlineMember[] {
    return this.client.online;
  }

  /** This installation's identity public key, which signs what this session sends. */
  identityPublicKey(): Uint8Array {
    return this.client.identityPublicKey();
  }

  /** The verifications of this session's room (an empty book until the room is known). */
  book(): VerificationBook {
    return this.verifications(this.client.roomId);
  }

  /** The room's verifications changed: entries and messages are marked again; the panel needs a snapshot. */
  retrust(): void {
    const book = this.book();
    const kept = new Map<string, Uint8Array>();
    this.panel.retrust(this.client.identityPublicKey(), book, (item: ChatItem) => {
      const signer = this.signers.get(item.id);
      if (signer === undefined) return {};
      kept.set(item.id, signer);
      return this.marks(signer, item.username, book);
    });
    this.signers = kept;
  }

  on<K extends keyof ChatSessionEvents>(event: K, listener: (payload: ChatSessionEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  snapshot(): PanelSnapshot {
    return this.panel.snapshot(this.client.username);
  }

  connect(): void {
    this.client.connect();
  }

  /** Connects at once, skipping any back-off wait; the outbox is kept. */
  reconnectNow(): void {
    this.client.disconnect();
    this.client.connect();
  }

  /** Stops connecting until connect() or reconnectNow(); `why` is what the panel says and offers meanwhile. */
  disconnect(why: OfflineReason = 'disconnected'): void {
    this.offline = why;
    this.client.disconnect();
    this.offline = 'disconnected';
  }

  dispose(): void {
    this.cancelSearch();
    // Disposing first lets listeners hear the final 'disconnected' (a progress bar waiting for it ends).
    this.client.dispose();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.events.clear();
  }

  /** `replyTo`: the id of a message the panel shows, which the reply quotes; `snippet`: code the text comments on, in the same message. */
  send(text: string, replyTo?: string, snippet?: MessageBody['snippet']): void {
    const attached = snippet === undefined ? {} : { snippet };
    if (replyTo === undefined) return this.sendBody({ text, ...attached });
    const { t } = this;
    const parent = this.panel.item(replyTo);
    if (!parent) throw new Error(t('The message you reply to is no longer loaded.'));
    this.sendBody({ text, ...attached, replyTo: { id: parent.id, name: parent.username, text: replyQuote(parent.text) } });
  }

  /** A new version of the user's own message `to` (one the server stored): a message of its own, sealed like any. */
  edit(to: string, text: string): void {
    this.sendBody({ text, edit: { to: this.ownStored(to) } });
  }

  /** A tombstone of the user's own message `to`: the server drops it and its edits from history. */
  remove(to: string): void {
    this.sendBody({ text: '', delete: { to: this.ownStored(to) } });
  }

  /** The id of a message the panel holds that this installation signed and the server stored (its seq names it). */
  private ownStored(id: string): string {
    const { t } = this;
    const target = this.panel.item(id);
    if (target?.own !== true || target.seq === undefined || target.unsigned === true) throw new Error(t('Only your own messages can be edited or deleted, once they are sent.'));
    return target.id;
  }

  /** A shown message as plain text: its current text (edits folded in), then its snippet's code after a blank line; undefined once deleted. */
  plainText(id: string): string | undefined {
    const item = this.panel.item(id);
    const text = this.panel.currentText(id);
    if (!item || text === undefined) return undefined;
    return [text, item.snippet?.code].filter((part) => part !== undefined && part !== '').join('\n\n');
  }

  /**
   * Searches the room's whole history for `query` (roomSearch.ts: newest first, current texts,
   * capped): results reach the panel as 'searchResults' updates named `id`, page after page, the
   * last one `done`. Stops the search before it.
   */
  search(id: number, query: string): void {
    this.cancelSearch();
    const walk = { cancelled: false };
    this.searching = walk;
    const { t } = this;
    walkHistory({
      query,
      read: (before) => this.client.readHistory(before),
      toItem: (message) => receivedItem(message),
      found: (results) => this.emitUpdate({ type: 'searchResults', id, results, done: false }),
      cancelled: () => walk.cancelled,
    }).then((end) => {
      if (!end.cancelled) this.emitUpdate({ type: 'searchResults', id, results: [], done: true, ...(end.capped ? { capped: true } : {}) });
    }, (error: unknown) => {
      if (walk.cancelled) return;
      const offline = error instanceof ChatClientError && error.code === 'offline';
      const failed = offline ? t('Messages can be searched once connected.') : t('The search stopped: {0}', errorMessage(error));
      this.emitUpdate({ type: 'searchResults', id, results: [], done: true, failed: failed.slice(0, MAX_DETAIL_LENGTH) });
    }).finally(() => {
      if (this.searching === walk) this.searching = undefined;
    });
  }

  /** Stops the search under way, if any: it reads no further page and says nothing more. */
  cancelSearch(): void {
    if (this.searching) this.searching.cancelled = true;
    this.searching = undefined;
  }

  /** The user is typing: the room hears it at most once per TYPING_INTERVAL_MS, and only while connected. */
  typing(): void {
    this.client.typing();
  }

  /** The user's emoji on the message `to`, or (not `on`) taken back: a message of its own, sealed like any. */
  react(to: string, emoji: string, on: boolean): void {
    this.sendBody({ text: '', react: { to, emoji, on } });
  }

  /**
   * Queues the message (also offline, and before the room's keys are known: the client seals it once
   * they are); throws ChatClientError for one that cannot be sent at all.
   */
  sendBody(body: MessageBody): void {
    const local = this.client.send(body);
    this.showOwn(local.id, local.timestamp, body);
    // The first message that cannot be sealed yet: the panel says it lasts only as long as the window.
    if (this.client.unsealedCount === 1) this.showConnection(this.client.state);
  }

  loadOlder(beforeSeq: number): void {
    const fromMemory = this.panel.olderPage(beforeSeq, this.pageSize);
    if (fromMemory) {
      this.emitUpdate(fromMemory);
      return;
    }
    // The page arrives as a history event (see onHistory); a refusal must still end the view's wait.
    const { t } = this;
    this.client.loadOlder().catch((error: unknown) => {
      this.emitUpdate(this.panel.emptyPage());
      const offline = error instanceof ChatClientError && error.code === 'offline';
      this.emitUpdate({ type: 'error', message: offline ? t('Older messages can be loaded once connected.') : t('Could not load older messages: {0}', errorMessage(error)) });
    });
  }

  /** Throws UsernameError for a name outside 1-16 bytes of UTF-8. */
  setUsername(name: string): void {
    this.client.setUsername(name);
    this.emitUpdate({ type: 'config', username: this.client.username });
  }

  /** Sealed entries to keep; once the last unsealed message is among them, the panel's warning goes. */
  private onOutbox(entries: readonly SealedOutboxEntry[]): void {
    this.events.emit('outbox', entries);
    if (this.panel.shownConnection.noRoomKey === true && this.client.unsealedCount === 0) this.showConnection(this.client.state);
  }

  /** Marked `noRoomKey` while typed messages wait unsealed: they are not kept across a restart. */
  private showConnection(state: ConnectionState): void {
    const connection = this.namedRefusal(state, panelConnection(state, this.address, this.offline, Date.now(), this.t));
    this.emitUpdate(this.panel.setConnection(this.client.unsealedCount > 0 ? { ...connection, noRoomKey: true } : connection));
  }

  private showOwn(id: string, timestamp: number, body: MessageBody): void {
    const item = localItem({ id, username: this.client.username, timestamp, body, status: 'pending' }, this.client.identityPublicKey());
    if (item) this.emitUpdate(this.panel.append(item));
  }

  private onState(state: ConnectionState): void {
    this.showConnection(state);
    this.events.emit('change', state);
  }

  /** The badge, warning and colour for a message signed by `signer` under `name`. */
  private marks(signer: Uint8Array, name: string, book = this.book()): SenderMarks {
    const view = senderView(signer, name, this.client.identityPublicKey(), book, AVATAR_COLOURS);
    const warning = trustNotice(view.trust, this.t);
    return { ...(view.trust.kind === 'verified' && !view.own ? { verified: true } : {}), ...(warning === undefined ? {} : { warning }), ...(view.colour === null ? {} : { colour: view.colour }) };
  }

  private item(message: ChatMessage): ChatItem | undefined {
    if (message.signer === null) return receivedItem(message);
    const item = receivedItem(message, this.marks(message.signer, message.username));
    if (item) this.signers.set(item.id, message.signer);
    // The panel keeps at most ARCHIVE_LIMIT messages; the oldest entries here are the first it dropped.
    if (this.signers.size > 2 * ARCHIVE_LIMIT) this.signers.delete(this.signers.keys().next().value as string);
    return item;
  }

  /** A refused name is said by name (neutralised: the user's setting could hold link syntax). */
  private namedRefusal(state: ConnectionState, connection: PanelConnection): PanelConnection {
    if (state.status !== 'error' || state.kind !== 'name-taken') return connection;
    const t = this.t;
    const detail = t('Another member of this room already uses the name “{0}”. Use “Set Username” to choose another.', plainText(this.client.username));
    return { ...connection, detail: detail.slice(0, MAX_DETAIL_LENGTH) };
  }

  private onMessage(message: ChatMessage): void {
    const item = this.item(message);
    // History sent again (a replayed capture) is no news: no notification, and it goes where its time puts it.
    if (item) this.emitUpdate(message.news ? this.panel.append(item) : this.panel.placeByTime(item));
    // A reaction, an edit or a tombstone is no message to be notified of.
    if (message.news && !message.body.react && !message.body.edit && !message.body.delete) this.events.emit('message', message);
  }

  private onHistory(page: HistoryPage): void {
    const items = page.messages.flatMap((message) => this.item(message) ?? []);
    this.emitUpdate(this.panel.prependFromServer(items, page.hasMore));
  }

  private onDelivery(update: DeliveryUpdate): void {
    this.emitUpdate(this.panel.setDelivery(update.id, update.status, update.seq, update.reason));
  }

  private emitUpdate(update: PanelUpdate): void {
    this.events.emit('update', update);
  }
}
