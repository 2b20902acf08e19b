// The chat as the rest of the extension sees it: one ChatSession per joined room (server address),
// at most MAX_JOINED_ROOMS, one of them shown in the panel (the active one, which the panel and the
// commands act on) while the others stay connected in the background and count their unread
// messages; the password flow around each (asked before connecting, asked again when the server
// rejects it), a progress indicator while connecting (key derivation runs inside the client, off
// this thread's critical path), and the ChatPanelModel the sidebar talks to.
import * as vscode from 'vscode';
import { canonicalAddress } from '../client';
import type { ChatMessage, ConnectionState, MessageBody, OnlineMember, SealedOutboxEntry } from '../client';
import type { IdentityKey } from '../crypto';
import { MAX_JOINED_ROOMS } from '../protocol/limits';
import type { PanelRoom, PanelSnapshot, PanelUpdate } from '../protocol/panel';
import type { ChatPanelModel } from './chatViewProvider';
import { ChatSession } from './rules/chatSession';
import type { ChannelLogger } from './logChannel';
import type { PasswordQuestion, PasswordStore } from './passwords';
import { OfflineReason, panelConnection } from './rules/panelState';
import { plainText } from './rules/plainText';
import { reconnectReasonWords } from './rules/reconnectWords';
import { translate } from './l10n';
import type { OutboxStore } from './rules/outboxStore';
import type { RoomPins } from './rules/roomPins';
import type { SettingsWatcher } from './settingsWatcher';
import { VerificationBook } from './rules/memberTrust';
import type { VerificationStore } from './rules/verificationStore';
import { JoinedRooms, roomLabel } from './rules/joinedRooms';
import { RoomUnread } from './rules/roomUnread';
import { OneAtATime } from './rules/oneAtATime';

/** After this many failed reconnects in a row the user is offered to skip the wait. */
const OFFER_RETRY_AT_ATTEMPT = 4;

const isBusy = (state: ConnectionState): boolean => state.status === 'connecting' || state.status === 'authenticating';

/** News from a room, with what its notification needs: which room, the name used there, whether the panel shows it now. */
export interface RoomNews {
  readonly message: ChatMessage;
  readonly address: string;
  readonly me: string;
  readonly shown: boolean;
}

export class ChatController implements ChatPanelModel, vscode.Disposable {
  /** By address, in the order joined. */
  private readonly sessions = new Map<string, ChatSession>();
  /** Connects (and start-up offline adds) by address: a second one for a room waits for the first, so one session per room. */
  private readonly connecting = new OneAtATime<string>();
  private activeAddress: string | undefined;
  private readonly unread = new RoomUnread();
  /** The panel is on screen (the provider says so): the active room's news is seen, not unread. */
  private visible = false;
  private readonly roomChanges = new vscode.EventEmitter<void>();
  /** The joined rooms, their unread counts or their connection changed (the room row, the badge). */
  readonly onDidChangeRooms = this.roomChanges.event;
  /**
   * The room whose password this window is changing: the disconnect that follows is no failure to
   * report; once the new password is stored (`stored`), the session gets back in with it.
   */
  private passwordChange: { readonly address: string; stored: boolean } | undefined;
  private readonly updates = new vscode.EventEmitter<PanelUpdate>();
  private readonly changes = new vscode.EventEmitter<void>();
  private readonly messages = new vscode.EventEmitter<RoomNews>();
  private readonly replaced = new vscode.EventEmitter<void>();
  /** Connection state or who is online changed. */
  readonly onDidChange = this.changes.event;
  /** A live message from any joined room (not history pages). */
  readonly onDidReceiveMessage = this.messages.event;
  /** Another room is shown (or its session was replaced): the panel needs a fresh snapshot, the old room's messages do not apply. */
  readonly onDidReplaceSession = this.replaced.event;

  constructor(
    private readonly passwords: PasswordStore,
    private readonly settings: SettingsWatcher,
    private readonly log: ChannelLogger,
    private readonly pins: RoomPins,
    private readonly outboxes: OutboxStore,
    /** This installation's identity key, from SecretStorage (created there on first use). */
    private readonly loadIdentity: () => Promise<IdentityKey>,
    private readonly verifications: VerificationStore,
    private readonly joined: JoinedRooms,
  ) {}

  /** The active room's session: what the panel shows and the commands act on. */
  private get session(): ChatSession | undefined {
    return this.activeAddress === undefined ? undefined : this.sessions.get(this.activeAddress);
  }

  /** Verifications made before the room is known (none can be: nobody is online then); never stored. */
  private readonly roomless = new VerificationBook();
  private readonly trustChanges = new vscode.EventEmitter<void>();
  /** The room's verifications changed: the panel needs a fresh snapshot with the new marks. */
  readonly onDidChangeTrust = this.trustChanges.event;

  /** Loaded by the first connect: every session of this window presents the same key. */
  private identity: IdentityKey | undefined;

  get address(): string | undefined {
    return this.session?.address;
  }

  get state(): ConnectionState | undefined {
    return this.session?.state;
  }

  get online(): readonly string[] {
    return this.session?.online ?? [];
  }

  /** Members online by key, as the session's client sees them. */
  get members(): readonly OnlineMember[] {
    return this.session?.members ?? [];
  }

  /** This installation's identity public key, once a connect has loaded it. */
  get identityPublicKey(): Uint8Array | undefined {
    return this.identity?.publicKey;
  }

  /** The current room's verifications (an empty one while no room is known). */
  book(): VerificationBook {
    return this.session?.book() ?? this.roomless;
  }

  /** After the user verified or unverified a member of the current room: kept per room, marks updated. */
  async trustChanged(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const room = this.roomOf(session);
    if (room) await this.verifications.save(room, session.book());
    session.retrust();
    this.changes.fire();
    this.trustChanges.fire();
  }

  get username(): string {
    return this.session?.username ?? this.settings.current.username;
  }

  // ChatPanelModel

  snapshot(): PanelSnapshot {
    const session = this.session;
    if (!session) return { connection: { status: 'disconnected' }, me: this.username, messages: [], online: [], hasOlder: false };
    const unreadFrom = this.unread.from(session.address);
    return { ...session.snapshot(), ...(unreadFrom === undefined ? {} : { unreadFrom }) };
  }

  rooms(): readonly PanelRoom[] {
    return [...this.sessions.values()].map((session) => ({
      address: session.address, name: roomLabel(session.address), unread: this.unread.count(session.address), active: session === this.session, status: panelConnection(session.state, session.address).status,
    }));
  }

  /** Unread messages over every joined room: the badge. */
  get unreadTotal(): number {
    return this.unread.total();
  }

  /** Shows another joined room; false for an address not joined. */
  switchRoom(address: string): boolean {
    if (!this.sessions.has(address)) return false;
    this.show(address);
    return true;
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    const address = this.activeAddress;
    if (address === undefined) return;
    if (visible) this.markRead();
    else this.unread.hidden(address);
  }

  /** The user has seen the active room's latest messages. */
  markRead(): void {
    if (this.activeAddress !== undefined && this.visible && this.unread.read(this.activeAddress)) this.roomChanges.fire();
  }

  onDidUpdate(listener: (update: PanelUpdate) => void): vscode.Disposable {
    return this.updates.event(listener);
  }

  send(text: string, replyTo?: string, snippet?: MessageBody['snippet']): void {
    this.requireSession().send(text, replyTo, snippet);
  }

  react(to: string, emoji: string, on: boolean): void {
    this.requireSession().react(to, emoji, on);
  }

  edit(to: string, text: string): void {
    this.requireSession().edit(to, text);
  }

  remove(to: string): void {
    this.requireSession().remove(to);
  }

  loadOlder(beforeSeq: number): void {
    this.session?.loadOlder(beforeSeq);
  }

  typing(): void {
    this.session?.typing();
  }

  plainText(id: string): string | undefined {
    return this.session?.plainText(id);
  }

  search(id: number, query: string): void {
    this.requireSession().search(id, query);
  }

  cancelSearch(): void {
    this.session?.cancelSearch();
  }

  private requireSession(): ChatSession {
    if (!this.session) throw new Error(vscode.l10n.t('Not connected to a room yet: use “Join a Room” or “Start Server” first.'));
    return this.session;
  }

  /**
   * Joins `address` (kept in its canonical form), or, joined already, gets it connected again, asking for its password first
   * (as `question` words it) when none is stored, and shows it unless `background` (then it is shown
   * only when no room is). Resolves false when the user cancelled the password prompt; throws, with
   * words for the user, when MAX_JOINED_ROOMS rooms are joined already.
   */
  connect(address: string, how: { readonly question?: PasswordQuestion; readonly roomId?: string; readonly background?: boolean } = {}): Promise<boolean> {
    const room = canonicalAddress(address);
    return this.connecting.run(room, () => this.connectNow(room, how));
  }

  private async connectNow(address: string, { question, roomId, background = false }: { readonly question?: PasswordQuestion; readonly roomId?: string; readonly background?: boolean }): Promise<boolean> {
    const wasJoined = this.sessions.has(address);
    if (!wasJoined) this.refuseBeyondLimit();
    // This window's own server names its room: that is the room to expect at its address.
    if (roomId) await this.pins.pin(address, roomId);
    if (!(await this.passwords.get(address)) && !(await this.passwords.prompt(address, question))) return false;
    this.identity ??= await this.loadIdentity();
    // Checked again after the awaits: the room may have been left, or other rooms joined, meanwhile.
    const current = this.sessions.get(address);
    if (wasJoined && !current) return false;
    if (!current) this.refuseBeyondLimit();
    // The own server's room is not kept in the list: it comes back when the server starts again.
    if (!roomId) void this.joined.joined(address);
    if (current) {
      if (!background) this.show(address);
      // Already there or on the way: only a waiting or failed session needs a push.
      if (current.state.status !== 'connected' && !isBusy(current.state)) this.retry(current);
      return true;
    }
    const session = this.add(address, background);
    session.connect();
    this.showProgress(session);
    return true;
  }

  /** At start: a joined room left offline (or whose password is not stored) is in the room row, offline, until the user connects it. */
  addOffline(typed: string, background: boolean): Promise<boolean> {
    const address = canonicalAddress(typed);
    return this.connecting.run(address, async () => {
      if (this.sessions.has(address) || this.sessions.size >= MAX_JOINED_ROOMS) return false;
      this.identity ??= await this.loadIdentity();
      if (this.sessions.has(address) || this.sessions.size >= MAX_JOINED_ROOMS) return false;
      this.add(address, background);
      return true;
    });
  }

  /** Throws, with words for the user, when no further room can be joined. */
  private refuseBeyondLimit(): void {
    if (this.sessions.size >= MAX_JOINED_ROOMS) {
      throw new Error(vscode.l10n.t('Secure Chat is in {0} rooms already: leave one with “Secure Chat: Leave Room” first.', MAX_JOINED_ROOMS));
    }
  }

  /** A new session for a room not joined yet, shown unless `background` (then only when no room is). */
  private add(address: string, background: boolean): ChatSession {
    // A second session for one address would keep firing its handlers next to the first.
    if (this.sessions.has(address)) throw new Error('a session for this room exists already');
    const session = this.createSession(address);
    this.sessions.set(address, session);
    if (!background || this.activeAddress === undefined) this.show(address);
    else this.roomChanges.fire();
    return session;
  }

  /** The active room goes offline; `why` is what the panel says and offers until it connects again. It stays offline at the next start. */
  disconnect(why?: OfflineReason): void {
    const session = this.session;
    if (!session) return;
    session.disconnect(why);
    void this.joined.wentOffline(session.address);
  }

  /**
   * Stop Server: every joined room on that server (`onServer`) goes offline, shown or not; with
   * `remember`, also at the next start. Resolves how many did.
   */
  disconnectWhere(onServer: (address: string) => boolean, remember: boolean): number {
    const stopped = [...this.sessions.values()].filter((session) => onServer(session.address));
    for (const session of stopped) {
      session.disconnect('server-stopped');
      if (remember) void this.joined.wentOffline(session.address, 'server-stopped');
    }
    return stopped.length;
  }

  /**
   * Start Server: the rooms on that server (`onServer`) that Stop Server took offline connect again,
   * in the background; one whose password is not stored stays offline (no prompt for rooms the user
   * did not ask for now) until the user connects it.
   */
  async reconnectWhere(onServer: (address: string) => boolean): Promise<void> {
    for (const address of this.joined.stoppedWithServer(onServer)) {
      if (await this.passwords.get(address)) await this.connect(address, { background: true });
    }
  }

  /**
   * "Leave Room": the room's session ends and the room is forgotten (its password stays stored), with
   * what it left unsent (else a later rejoin would send it unannounced) and a password change of this
   * window that was waiting for it; leaving the one shown shows the last joined, if any.
   */
  leave(address: string): void {
    const session = this.sessions.get(address);
    if (!session) return;
    const room = this.roomOf(session);
    this.sessions.delete(address);
    session.dispose();
    if (room) void this.outboxes.save(address, room, []);
    if (this.passwordChange?.address === address) this.passwordChange = undefined;
    this.unread.forget(address);
    void this.joined.left(address);
    if (this.activeAddress !== address) return this.roomChanges.fire();
    this.activeAddress = undefined;
    const next = [...this.sessions.keys()].at(-1);
    if (next === undefined) this.roomShown();
    else this.show(next);
  }

  /** A new password was stored for `address`: a session that failed on the old one tries again. */
  passwordChanged(address: string): void {
    const session = this.sessions.get(address);
    if (this.passwordChange?.address === address) this.passwordChange.stored = true;
    if (session && session.state.status === 'error') {
      this.passwordChange = undefined;
      this.retry(session);
    }
  }

  /** This window changes the password of `address`: the disconnect that follows is retried with the new one, not reported. */
  expectPasswordChange(address: string | undefined): void {
    this.passwordChange = address === undefined ? undefined : { address, stored: false };
  }

  /** From the settings, for every room; the name was validated there. */
  setUsername(name: string): void {
    for (const session of this.sessions.values()) session.setUsername(name);
    if (!this.session) this.updates.fire({ type: 'config', username: name });
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
    this.activeAddress = undefined;
    for (const emitter of [this.updates, this.changes, this.messages, this.replaced, this.trustChanges, this.roomChanges]) emitter.dispose();
  }

  /** Shows the joined room at `address`: the one it replaces stops its search and counts its news as unread again. */
  private show(address: string): void {
    if (this.activeAddress === address) return;
    const previous = this.session;
    if (previous) {
      previous.cancelSearch();
      this.unread.hidden(previous.address);
    }
    this.activeAddress = address;
    if (this.visible) this.unread.read(address);
    void this.joined.shown(address);
    this.roomShown();
  }

  /** The panel, the status bar and the room row follow the room shown. */
  private roomShown(): void {
    this.replaced.fire();
    this.changes.fire();
    this.roomChanges.fire();
  }

  /** The room a session is in: the one its server proved, else the one pinned for its address. */
  private roomOf(session: ChatSession): string | undefined {
    return session.roomId ?? this.pins.get(session.address);
  }

  /** A room's stored verifications; one that cannot be read is said once, and kept until the user verifies again. */
  private bookFor(roomId: string | undefined): VerificationBook {
    if (roomId === undefined) return this.roomless;
    const loaded = this.verifications.load(roomId);
    if (loaded.ok) return loaded.book;
    this.log.log('error', 'verifications-unreadable', { why: loaded.why });
    void vscode.window.showWarningMessage(vscode.l10n.t('Secure Chat: the members you verified in this room could not be read back from storage ({0}), so nobody shows as verified. The stored list is kept until you verify a member again with “Secure Chat: Verify Member...”.', plainText(loaded.why)));
    return loaded.book;
  }

  private createSession(address: string): ChatSession {
    const { username, historyPageSize } = this.settings.current;
    const pinnedRoom = this.pins.get(address);
    const session = new ChatSession({
      address, username, historyPageSize, logger: this.log, pinnedRoom, outbox: this.reloadOutbox(address, pinnedRoom), identity: this.identity,
      verifications: (roomId) => this.bookFor(roomId ?? pinnedRoom), translate,
      // Read when the client needs to derive the room key; a missing one fails as auth-failed, whose
      // handler asks the user.
      password: async () => {
        const password = await this.passwords.get(address);
        if (!password) throw new Error(`no room password is stored for ${address}`);
        return password;
      },
    });
    // A session replaced or left (disposed) no longer speaks for its room.
    const current = (): boolean => this.sessions.get(address) === session;
    session.on('update', (update) => {
      if (!current()) return;
      const shown = this.session === session;
      // News the user does not see now: unread, in that room's count.
      if (update.type === 'messages' && update.position === 'append' && !(shown && this.visible) && this.unread.add(address, update.items)) this.roomChanges.fire();
      if (shown) this.updates.fire(update);
    });
    session.on('message', (message) => {
      if (!current()) return;
      this.messages.fire({ message, address, me: session.username, shown: this.session === session && this.visible });
    });
    // Sealing needs a verified room, so a non-empty outbox always has its room id.
    session.on('outbox', (entries) => {
      if (!current()) return;
      const room = session.roomId ?? pinnedRoom;
      if (room) void this.outboxes.save(address, room, entries);
    });
    session.on('change', (state) => {
      if (!current()) return;
      this.roomChanges.fire();
      if (this.session === session) this.changes.fire();
      if (state.status === 'connected' && session.roomId) void this.pins.pin(address, session.roomId);
      if (state.status === 'reconnecting' && state.attempt === OFFER_RETRY_AT_ATTEMPT) void this.offerRetry(session, state.reason);
      if (state.status !== 'error') return;
      const change = this.passwordChange;
      if (change?.address === session.address && state.kind === 'auth-failed') {
        // Closed by our own password change: back in once the new password is stored.
        if (!change.stored) return;
        this.passwordChange = undefined;
        return this.retry(session);
      }
      void this.explainFailure(session, state);
    });
    return session;
  }

  /** What this room's last session left unsent; a stored outbox that cannot be read is reported, not dropped quietly. */
  private reloadOutbox(address: string, roomId: string | undefined): readonly SealedOutboxEntry[] {
    if (!roomId) return [];
    const loaded = this.outboxes.load(address, roomId);
    if (loaded.ok) {
      if (loaded.entries.length > 0) this.log.log('info', 'outbox-reloaded', { count: loaded.entries.length });
      return loaded.entries;
    }
    this.log.log('error', 'outbox-unreadable', { why: loaded.why, keptAs: loaded.keptAs });
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Secure Chat: messages typed offline for {0} before VS Code closed could not be read back from storage ({1}), so they cannot be sent. They were kept aside unchanged; the log says where.', address, loaded.why),
      showLog,
    ).then((choice) => choice === showLog && this.log.show());
    return [];
  }

  /** A fresh session in the place of the one at its address (shown if that one was). */
  private replaceSession(session: ChatSession): void {
    this.sessions.get(session.address)?.dispose();
    this.sessions.set(session.address, session);
    if (this.activeAddress === session.address) this.roomShown();
  }

  private retry(session: ChatSession): void {
    session.reconnectNow();
    this.showProgress(session);
  }

  /** Connecting costs a key derivation and a round trip or two: show it in the status bar until it settles. */
  private showProgress(session: ChatSession): void {
    if (!isBusy(session.state)) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Secure Chat: connecting to {0}', session.address) },
      () => new Promise<void>((resolve) => {
        const stop = session.on('change', (state) => {
          if (isBusy(state)) return;
          stop();
          resolve();
        });
      }),
    );
  }

  /** A server that keeps refusing or cannot be reached: the back-off grows (capped), and the user may skip the wait. */
  private async offerRetry(session: ChatSession, reason: string): Promise<void> {
    const retry = vscode.l10n.t('Retry Now');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Secure Chat: cannot connect to {0}. {1} Trying again less and less often.', session.address, plainText(reconnectReasonWords(reason, translate))), retry,
    );
    if (choice === retry && this.sessions.get(session.address) === session) this.retry(session);
  }

  private async explainFailure(session: ChatSession, state: Extract<ConnectionState, { status: 'error' }>): Promise<void> {
    const { address } = session;
    const showLog = vscode.l10n.t('Show Log');
    if (state.kind === 'room-changed') {
      const trust = vscode.l10n.t('Trust the New Room');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Secure Chat: {0}', plainText(state.message)), trust, showLog);
      if (choice === showLog) this.log.show();
      if (choice !== trust || this.sessions.get(address) !== session) return;
      await this.pins.forget(address);
      const fresh = this.createSession(address);
      this.replaceSession(fresh);
      fresh.connect();
      this.showProgress(fresh);
      return;
    }
    if (state.kind !== 'auth-failed') {
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Secure Chat: not connected to {0}: {1}.', address, state.message), showLog);
      if (choice) this.log.show();
      return;
    }
    const reenter = vscode.l10n.t('Re-enter Password');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Secure Chat: wrong room password for {0} ({1}).', address, state.message), reenter);
    if (choice !== reenter) return;
    const password = await this.passwords.prompt(address, { reason: vscode.l10n.t('The last password was not accepted.') });
    if (password && this.sessions.get(address) === session) this.retry(session);
  }
}
