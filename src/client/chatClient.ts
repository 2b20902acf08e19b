// The chat client: one room, one server, over a connection that comes and goes. It keeps what must
// survive a reconnect (the room's epoch keys, the outbox of sealed messages, the ledger of messages
// seen) and rebuilds the rest (presence, in-flight send, open history requests) on every new connection.
import { randomBytes } from 'crypto';
import {
  ChannelKeys, CryptoError, DEFAULT_ITERATIONS, ENVELOPE_VERSION_SIGNED, IDENTITY_PUBLIC_KEY_BYTES, IdentityKey, MESSAGE_ID_BYTES, OpenedRoomMessage,
  SealedMessage, normalizeUsername, openRoomMessage, openUsername, peekEpoch, sealSignedMessage,
} from '../crypto';
import { MessageBody, decodeBody } from '../protocol/body';
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '../protocol/limits';
import { CLOSE_CODES, ServerFrame, StoredMessage } from '../protocol/wire';
import { parseServerAddress } from './address';
import { Backoff } from './backoff';
import { Clock, systemClock } from './clock';
import { CloseInfo, Connection, ConnectionClosed } from './connection';
import { ChatClientError, errorMessage, serverErrorWords } from './errors';
import { TypedEmitter } from './emitter';
import { HandshakeFailure, PASSWORD_CHANGED_MESSAGE, Session, openEpochFrame, performHandshake } from './handshake';
import { HistoryAnswer, HistoryRequests } from './historyRequests';
import { RoomSecretCache, roomFingerprint } from './keyCache';
import type { Keyring } from './keyring';
import { MessageLedger } from './ledger';
import { LiveSeqs, SeqStanding, stampedRecently } from './liveSeqs';
import { Logger, silentLogger } from '../protocol/log';
import { encodeMessageBody } from './messageBody';
import { Outbox, OutboxEntry, SealedOutboxEntry } from './outbox';
import { AckedMessages } from './ackedMessages';
import { Amendment, Amendments } from './amendments';
import { Presence, PresenceChange } from './presence';
import { TypingPace } from '../protocol/typing';
import { TypingReceiver, sealTyping } from './typingSignals';
import type { ChatClientEvents, ChatClientOptions, ChatMessage, ConnectionState, HistoryPage, LocalMessage, OnlineMember } from './types';

/** Shown in place of a body this client cannot read; ChatMessage.readable is false with it. */
export const UNREADABLE_BODY: MessageBody = { text: '[this message could not be read: it was sent in a format this version does not understand]' };

/** Longest wait between reconnects unless the caller says otherwise; retryNow() skips it. */
const DEFAULT_RECONNECT_CAP_MS = 5 * 60_000;

/** Re-seals after "stale" (or "wrong-name") before concluding that sending again cannot help. */
const MAX_STALE_ANSWERS = 3;

type TimerName = 'reconnect' | 'stable' | 'retry' | 'history-retry';

/** How a stored message reached us: a live frame, a page of the catch-up after a reconnect, or a history page. */
type Arrival = 'live' | 'catch-up' | 'page';

/**
 * A message typed before the room's keys were known (before the first verified connection, or after
 * a refused password wiped them): it cannot be sealed yet, so it waits in memory only, never in the
 * outbox that callers persist, and is sealed the moment a connection brings the keys.
 */
interface UnsealedMessage {
  readonly localId: string;
  readonly plaintext: Uint8Array;
  readonly storedAfter: number;
}

/** What exists only while a connection is authenticated. */
interface LiveConnection {
  readonly connection: Connection;
  /** This connection's CPace channel keys: new epochs arrive sealed under them. */
  readonly channel: ChannelKeys;
  readonly latestSeq: number;
  /** What the seqs this connection's server sends can truthfully be. */
  readonly seqs: LiveSeqs;
  /** Local id of the one message awaiting the server's answer (one at a time keeps the order). */
  inFlight: string | undefined;
  readonly history: HistoryRequests;
}

export class ChatClient {
  private readonly url: URL;
  private readonly getPassword: () => Promise<string>;
  private readonly minIterations: number;
  private readonly pageSize: number;
  private readonly timeoutMs: number;
  private readonly stableMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly events: TypedEmitter<ChatClientEvents>;
  private readonly reconnectBackoff: Backoff;
  /** Separate from reconnecting: a rate-limited send must not slow the next reconnect. */
  private readonly retryBackoff: Backoff;
  private readonly outbox: Outbox;
  /** Typed before the room's keys were known, in the order typed; they go after everything in the outbox. */
  private readonly unsealed: UnsealedMessage[] = [];
  /** Acknowledged messages of ours, until a later catch-up shows them stored. */
  private readonly acked: AckedMessages;
  private readonly ledger = new MessageLedger();
  /** Which of our messages each edit of ours changes, for the seqs a tombstone names. */
  private readonly amendments = new Amendments();
  private readonly presence = new Presence();
  private readonly typingPace = new TypingPace();
  private readonly typingSignals = new TypingReceiver();
  private readonly secretCache = new RoomSecretCache();
  /** Hex room id this address must present: the caller's pin, then the room of the first verified connection. */
  private pinnedRoom: string | undefined;
  private readonly timers = new Map<TimerName, () => void>();
  private readonly webSocketOptions: ChatClientOptions['webSocket'];
  private currentUsername: string;
  /** Who this client is in the room: it proves the key at every connect. */
  private readonly identity: IdentityKey;
  private currentState: ConnectionState = { status: 'disconnected' };
  /** Epoch keys from a server that proved the password; with the room they belong to. */
  private verified: { readonly room: string; readonly roomId: string; readonly keyring: Keyring } | undefined;
  /** The connection being opened or authenticated, if any. */
  private pending: Connection | undefined;
  private live: LiveConnection | undefined;
  /** The user wants to be online: losing the connection means reconnecting. */
  private wanted = false;
  /** Local ids of reloaded messages not yet shown to the caller (announceReloaded). */
  private readonly unannounced = new Set<string>();
  private disposed = false;
  private dropped = 0;

  constructor(options: ChatClientOptions) {
    this.url = parseServerAddress(options.address);
    this.currentUsername = normalizeUsername(options.username);
    this.identity = options.identity ?? IdentityKey.generate();
    const { password } = options;
    this.getPassword = typeof password === 'function' ? async () => password() : async () => password;
    this.minIterations = options.minIterations ?? DEFAULT_ITERATIONS;
    this.pinnedRoom = options.pinnedRoom;
    this.pageSize = options.historyPageSize ?? HISTORY_PAGE_DEFAULT;
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > HISTORY_PAGE_MAX) {
      throw new ChatClientError('invalid-option', `historyPageSize must be an integer from 1 to ${HISTORY_PAGE_MAX}`);
    }
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.stableMs = options.reconnect?.stableMs ?? 10_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.webSocketOptions = options.webSocket;
    // Capped at 5 minutes by default: a server that keeps refusing is not asked every few seconds for ever.
    this.reconnectBackoff = new Backoff({ capMs: DEFAULT_RECONNECT_CAP_MS, ...options.reconnect });
    this.retryBackoff = new Backoff(options.reconnect);
    this.events = new TypedEmitter((event, error) => this.logger.log('error', 'listener-threw', { event: String(event), error: errorMessage(error) }));
    this.outbox = new Outbox(options.outboxLimit ?? 1000, () => this.events.emit('outbox', this.outbox.sealed()));
    this.acked = new AckedMessages(options.outboxLimit ?? 1000);
    this.reloadOutbox(options.outbox ?? []);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get username(): string {
    return this.currentUsername;
  }

  /** Members online now, one per identity key, sorted by name then key; empty while not connected. */
  get online(): readonly OnlineMember[] {
    return this.presence.members();
  }

  /** This client's identity public key (32 bytes): what its messages are signed with, and what `own` compares. */
  identityPublicKey(): Uint8Array {
    return Buffer.from(this.identity.publicKey);
  }

  /** Hex id of the room a server proved it serves, once one has: what a caller pins for the address. */
  /**
   * Messages typed before the room's keys were known: held unsealed in memory only (never in
   * `outbox` events), so lost if the process ends before a connection brings the keys.
   */
  get unsealedCount(): number {
    return this.unsealed.length;
  }

  get roomId(): string | undefined {
    return this.verified?.roomId;
  }

  /** What waits to be sent, sealed, oldest first: what a caller keeps to pass as `outbox` after a restart. */
  get sealedOutbox(): readonly SealedOutboxEntry[] {
    return this.outbox.sealed();
  }

  /** Messages dropped because they failed verification (wrong room key or tampered). */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Returns the function that removes the listener. */
  on<K extends keyof ChatClientEvents>(event: K, listener: (payload: ChatClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Starts connecting, and keeps reconnecting after network trouble until disconnect(). */
  connect(): void {
    this.assertUsable();
    if (this.wanted) return;
    this.wanted = true;
    this.reconnectBackoff.reset();
    this.open();
  }

  /** Goes offline; the outbox is kept and delivered on the next connect(). */
  disconnect(): void {
    this.assertUsable();
    this.wanted = false;
    this.clearTimer('reconnect');
    this.dropConnection('disconnected by the user');
    this.setState({ status: 'disconnected' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disconnect();
    this.forgetSecrets();
    this.disposed = true;
    this.events.clear();
  }

  /** Connects at once if the client is waiting to reconnect or stopped on an error: the user's "Retry now". */
  retryNow(): void {
    this.assertUsable();
    if (this.live || this.pending) return;
    this.clearTimer('reconnect');
    this.wanted = true;
    this.reconnectBackoff.reset();
    this.open();
  }

  /**
   * Queues the message and returns at once, also offline and before the first connection: delivery
   * events follow, named by the returned id from now to the server's answer. It is sealed now if the
   * room's keys are known, else as soon as a connection brings them (until then it is in memory only,
   * and not in `outbox` events). Throws ChatClientError 'too-large' or 'outbox-full'.
   */
  send(body: MessageBody): LocalMessage {
    this.assertUsable();
    const plaintext = encodeMessageBody(body);
    const timestamp = this.clock.now();
    const keys = this.verified?.keyring.current;
    // Once one message waits for the keys, the ones after it wait too: the room stores them in the order typed.
    if (!keys || this.unsealed.length > 0) {
      this.outbox.assertRoom(this.unsealed.length);
      const localId = randomBytes(MESSAGE_ID_BYTES).toString('hex');
      this.unsealed.push({ localId, plaintext, storedAfter: this.ledger.lastSeq });
      return { id: localId, username: this.currentUsername, timestamp, body, status: 'pending' };
    }
    const entry = this.outbox.add(sealSignedMessage(keys, this.identity, { username: this.currentUsername, plaintext, timestamp }), this.ledger.lastSeq);
    this.ledger.expectOwn(entry.wireId, entry.localId);
    this.pump();
    return { id: entry.localId, username: this.currentUsername, timestamp, body, status: 'pending' };
  }

  /**
   * Tells the other members online that this member is typing: at most one signal per
   * TYPING_INTERVAL_MS (calls in between do nothing), none while not connected. Never stored.
   */
  typing(): void {
    this.assertUsable();
    const keys = this.verified?.keyring.current;
    const now = this.clock.now();
    if (!this.live || !keys || !this.typingPace.pass(now)) return;
    this.live.connection.send({ type: 'typing', envelope: sealTyping(keys, this.identity, this.currentUsername, now) });
  }

  /** Fetches the page before the oldest message seen, emits it as a history event and returns it. */
  async loadOlder(): Promise<HistoryPage> {
    this.assertUsable();
    const oldest = this.ledger.oldestSeq;
    if (oldest === 1) return { messages: [], hasMore: false };
    const live = this.requireLive();
    return this.emitHistory(live, await live.history.request({ before: oldest ?? live.latestSeq + 1, limit: this.pageSize }));
  }

  /**
   * The page of up to `limit` stored messages before `beforeSeq` (undefined: the newest), opened and
   * verified as history pages are, ascending by seq, for a reader of the whole history (search): it
   * feeds nothing else, so neither the dedup nor any event sees it, and messages seen before are in
   * it too. Messages that fail verification are dropped and counted. Throws ChatClientError
   * 'offline' while not connected.
   */
  async readHistory(beforeSeq: number | undefined, limit = HISTORY_PAGE_MAX): Promise<HistoryPage> {
    this.assertUsable();
    const live = this.requireLive();
    const before = beforeSeq ?? Math.max(live.latestSeq, this.ledger.lastSeq) + 1;
    if (before <= 1) return { messages: [], hasMore: false };
    const page = await live.history.request({ before, limit: Math.min(limit, HISTORY_PAGE_MAX) });
    const messages = bySeq(page.messages).flatMap((stored) => {
      const verified = this.openStored(live, stored, 'page');
      return verified ? [this.chatMessage(verified.opened, verified.opened.messageId.toString('hex'), verified.standing === 'counted' ? stored.seq : undefined, false)] : [];
    });
    return { messages, hasMore: page.hasMore };
  }

  /** Throws UsernameError for a name outside 1-16 bytes of UTF-8. Reconnects so the room sees the new name. */
  setUsername(name: string): void {
    this.assertUsable();
    const normalized = normalizeUsername(name);
    if (normalized === this.currentUsername) return;
    this.currentUsername = normalized;
    if (this.live || this.pending) {
      this.dropConnection('username changed');
      this.open();
    }
  }

  // Connection lifecycle.

  private open(): void {
    this.setState({ status: 'connecting' });
    void this.establish();
  }

  private async establish(): Promise<void> {
    let connection: Connection | undefined;
    try {
      connection = new Connection(this.url, { clock: this.clock, timeoutMs: this.timeoutMs, webSocket: this.webSocketOptions });
      this.pending = connection;
      await connection.opened;
      if (this.pending !== connection) return;
      this.setState({ status: 'authenticating' });
      const session = await performHandshake(connection, {
        username: this.currentUsername, identity: this.identity, minIterations: this.minIterations, secretCache: this.secretCache, getPassword: this.getPassword,
        pinnedRoom: this.pinnedRoom,
      });
      if (this.pending !== connection) {
        session.keyring.wipe();
        return;
      }
      this.pending = undefined;
      this.onEstablished(connection, session);
    } catch (error) {
      if (connection && this.pending !== connection) return;
      this.pending = undefined;
      connection?.close('handshake failed');
      this.onHandshakeFailed(error);
    }
  }

  private onEstablished(connection: Connection, session: Session): void {
    const room = roomFingerprint(session.room);
    // A reconnect to the same room catches up from the last seq seen, even when that is 0 (the room
    // was empty); only a first connection starts from the latest page.
    const firstInRoom = this.verified?.room !== room;
    if (this.verified && firstInRoom) {
      this.logger.log('warn', 'room-changed', { note: 'earlier messages and sequence numbers no longer apply' });
      this.ledger.clear();
      this.acked.clear();
    }
    // The server's keys replace what the last connection had: it hands out every epoch of the room.
    if (this.verified?.keyring !== session.keyring) this.verified?.keyring.wipe();
    const roomId = session.room.roomId.toString('hex');
    this.verified = { room, roomId, keyring: session.keyring };
    this.pinnedRoom = roomId;
    const live: LiveConnection = {
      connection, channel: session.channel, latestSeq: session.latestSeq, seqs: new LiveSeqs(session.latestSeq), inFlight: undefined, history: new HistoryRequests((frame) => connection.send(frame)),
    };
    this.live = live;
    connection.onClose((info) => this.onConnectionLost(live, info));
    this.logger.log('info', 'connected', { host: this.url.host });
    this.setState({ status: 'connected' });
    this.setTimer('stable', this.stableMs, () => this.reconnectBackoff.reset());
    this.updatePresence(this.presence.replace(session.online.flatMap((entry) => this.openMember(entry) ?? [])));
    // Read before listening: frames queued during the handshake are delivered by listen() and may
    // move lastSeq past messages stored while this client was away.
    // It starts low enough to hold every acknowledged message of ours it is to check.
    const resumeFrom = firstInRoom ? null : Math.min(this.ledger.lastSeq, this.acked.storedAfter ?? Infinity);
    this.acked.beginCheck();
    connection.listen((received) => {
      if (received.ok) this.onFrame(live, received.value);
      else this.logger.log('warn', 'invalid-frame-ignored', { why: received.error });
    });
    this.announceReloaded();
    this.sealUnsealed();
    // Resend first, then catch up: the server answers in order, so anything our resends stored
    // shows up in the catch-up as our own and is not shown twice.
    this.pump();
    void this.catchUp(live, resumeFrom);
  }

  private onHandshakeFailed(error: unknown): void {
    if (error instanceof ConnectionClosed) {
      // The WebSocket never opened: server down, refused, unreachable.
      this.scheduleReconnect(error.message);
    } else if (!(error instanceof HandshakeFailure)) {
      this.logger.log('error', 'connection-failed-unexpectedly', { error: errorMessage(error) });
      this.scheduleReconnect(errorMessage(error));
    } else if (error.kind === 'network') {
      this.scheduleReconnect(error.message);
    } else {
      // The user must act (retype the password, fix the address); retrying would only repeat it.
      this.stopWith(error.kind, error.message);
    }
  }

  /** Stops reconnecting until the user acts; a refused password also forgets every key. */
  private stopWith(kind: Exclude<HandshakeFailure['kind'], 'network'>, message: string): void {
    this.wanted = false;
    if (kind === 'auth-failed') this.forgetSecrets();
    this.logger.log('warn', 'connection-refused', { kind, why: message });
    this.setState({ status: 'error', kind, message });
  }

  /** The password's secret and every epoch key, overwritten and dropped: nothing to seal or open with until the next handshake. */
  private forgetSecrets(): void {
    this.secretCache.forget();
    this.verified?.keyring.wipe();
    this.verified = undefined;
  }


  private onConnectionLost(live: LiveConnection, info: CloseInfo): void {
    if (this.live !== live) return;
    this.endLive(new ChatClientError('offline', `the connection was lost: ${info.reason}`));
    this.logger.log('info', 'connection-lost', { why: info.reason });
    // The password that admitted this connection no longer does: retrying with it cannot succeed.
    if (info.code === CLOSE_CODES.passwordChanged) return this.stopWith('auth-failed', PASSWORD_CHANGED_MESSAGE);
    if (this.wanted) this.scheduleReconnect(info.reason);
  }

  private scheduleReconnect(reason: string): void {
    const inMs = this.reconnectBackoff.next();
    const attempt = this.reconnectBackoff.attempt;
    this.logger.log('info', 'reconnecting', { inMs, attempt, why: reason });
    this.setState({ status: 'reconnecting', attempt, inMs, reason });
    this.setTimer('reconnect', inMs, () => this.open());
  }

  /** Closes whatever connection exists, without triggering a reconnect. */
  private dropConnection(reason: string): void {
    const connection = this.live?.connection ?? this.pending;
    this.pending = undefined;
    this.endLive(new ChatClientError('offline', reason));
    connection?.close(reason);
  }

  private endLive(error: ChatClientError): void {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    this.clearTimer('stable');
    this.clearTimer('retry');
    this.clearTimer('history-retry');
    live.history.cancel(error);
    this.updatePresence(this.presence.clear());
  }

  // Frames.

  private onFrame(live: LiveConnection, frame: ServerFrame): void {
    switch (frame.type) {
      case 'message': {
        live.seqs.arrived();
        const message = this.receive(live, frame, 'live');
        if (message) this.events.emit('message', message);
        return;
      }
      case 'ack':
        live.seqs.arrived();
        this.onAck(live, frame.id.toString('hex'), frame.seq);
        return;
      case 'error':
        this.onServerError(live, frame);
        return;
      case 'history':
        if (!live.history.answer(frame.requestId, frame)) this.logger.log('warn', 'unrequested-history-ignored');
        return;
      case 'join': {
        const member = this.openMember(frame.user);
        if (member !== undefined) this.updatePresence(this.presence.join(member));
        return;
      }
      case 'leave':
        this.updatePresence(this.presence.leave(frame.user.subarray(0, IDENTITY_PUBLIC_KEY_BYTES)));
        return;
      case 'epoch':
        this.onEpoch(live, frame);
        return;
      case 'typing': {
        const keyring = this.verified?.keyring;
        const member = keyring && this.typingSignals.accept(keyring.lookup, frame.envelope, (key) => this.presence.get(key), this.identity.publicKey, this.clock.now());
        if (member) this.events.emit('typing', member);
        return;
      }
      default:
        this.logger.log('warn', 'unexpected-frame-ignored', { type: frame.type });
    }
  }

  /** A new epoch pushed by the server (a rotation): held at once, and new messages use it if it is current. */
  private onEpoch(live: LiveConnection, frame: Extract<ServerFrame, { type: 'epoch' }>): void {
    const verified = this.verified;
    if (!verified) return;
    try {
      openEpochFrame(verified.keyring, Buffer.from(verified.roomId, 'hex'), live.channel, frame);
    } catch (error) {
      if (!(error instanceof HandshakeFailure)) throw error;
      this.logger.log('warn', 'epoch-failed-verification', { epoch: frame.number });
      return;
    }
    this.logger.log('info', 'epoch-received', { epoch: frame.number, current: frame.current });
  }

  /**
   * Opens and verifies one stored message; undefined for one that fails (dropped and counted).
   * `standing`: what its seq can truthfully be on this connection.
   */
  private openStored(live: LiveConnection, stored: StoredMessage, arrival: Arrival): { opened: OpenedRoomMessage; standing: SeqStanding } | undefined {
    const keyring = this.verified?.keyring;
    if (!keyring) return undefined;
    let opened: OpenedRoomMessage;
    try {
      // A bad signature is refused like a bad MAC: one generic error, and the message is dropped.
      opened = openRoomMessage(keyring.lookup, stored.envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      this.dropped += 1;
      this.logger.log('warn', 'message-failed-verification', { seq: stored.seq, droppedSoFar: this.dropped });
      return undefined;
    }
    // Only now, and only a seq the connection can hold (see liveSeqs.ts): a frame that fails
    // verification could carry any seq, and anyone on the path can put any seq on a real envelope.
    const standing = arrival === 'live' ? live.seqs.live(stored.seq) : live.seqs.stored(stored.seq);
    if (standing === 'unvouched') this.logger.log('warn', 'seq-beyond-ceiling', { seq: stored.seq, ceiling: live.seqs.ceiling });
    return { opened, standing };
  }

  /** Opens one stored message through the single dedup; undefined for one not to show. */
  private receive(live: LiveConnection, stored: StoredMessage, arrival: Arrival): ChatMessage | undefined {
    const verified = this.openStored(live, stored, arrival);
    if (!verified) return undefined;
    const { opened, standing } = verified;
    const news = arrival === 'catch-up' || (arrival === 'live' && standing !== 'history' && stampedRecently(opened.timestamp, this.clock.now()));
    // History sent again live: its seq is nobody's word but the sender's, so it counts for nothing.
    const counted = standing === 'counted' && (news || arrival === 'page');
    if (counted) this.ledger.noteSeq(stored.seq);
    const id = opened.messageId.toString('hex');
    if (arrival === 'catch-up') this.acked.seen(id);
    const verdict = this.ledger.accept(id, stored.seq);
    if (verdict.kind === 'own') this.delivered(verdict.localId, counted ? stored.seq : undefined, arrival === 'live');
    if (verdict.kind !== 'new') return undefined;
    const body = decodeBody(opened.plaintext);
    if (!body.ok) this.logger.log('warn', 'message-body-unreadable', { seq: stored.seq, why: body.error });
    const message = this.chatMessage(opened, id, counted ? stored.seq : undefined, news, body);
    if (message.readable && message.own) this.amendments.noteOwn(id, message.body);
    return message;
  }

  /** An opened message as the caller sees it; `seq` only when it counts (see receive). */
  private chatMessage(opened: OpenedRoomMessage, id: string, seq: number | undefined, news: boolean, body = decodeBody(opened.plaintext)): ChatMessage {
    return {
      id, ...(seq === undefined ? {} : { seq }), username: opened.username, timestamp: opened.timestamp,
      body: body.ok ? body.value : UNREADABLE_BODY, readable: body.ok, signer: opened.signer,
      own: opened.signer !== null && opened.signer.equals(this.identity.publicKey), news,
    };
  }

  /** A presence entry: the member's identity key, the u32 epoch its block is sealed under, then the block. */
  private openMember(entry: Buffer): OnlineMember | undefined {
    const keys = this.verified?.keyring.lookup(entry.readUInt32BE(IDENTITY_PUBLIC_KEY_BYTES));
    if (!keys) return undefined;
    try {
      const name = openUsername(keys, entry.subarray(IDENTITY_PUBLIC_KEY_BYTES + 4));
      return { key: Buffer.from(entry.subarray(0, IDENTITY_PUBLIC_KEY_BYTES)), name };
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      this.logger.log('warn', 'online-name-failed-verification');
      return undefined;
    }
  }

  private updatePresence(change: boolean | PresenceChange): void {
    const { changed, renamed } = typeof change === 'boolean' ? { changed: change, renamed: [] } : change;
    if (changed) this.events.emit('presence', this.presence.members());
    for (const rename of renamed) this.events.emit('renamed', rename);
  }

  // Messages an earlier client left waiting (options.outbox): sent first, and shown once the room's
  // keys can open them.

  private reloadOutbox(entries: readonly SealedOutboxEntry[]): void {
    const { taken, unreadable } = this.outbox.reload(entries);
    if (unreadable > 0) this.logger.log('warn', 'outbox-entries-unreadable', { count: unreadable, note: 'not sent: their envelopes have no readable header' });
    for (const entry of taken) {
      this.ledger.expectOwn(entry.wireId, entry.localId);
      this.unannounced.add(entry.localId);
    }
  }

  /** Each reloaded message once, as a pending message of ours; its delivery events follow as for any. */
  private announceReloaded(): void {
    const keyring = this.verified?.keyring;
    if (!keyring) return;
    for (const localId of this.unannounced) {
      const entry = this.outbox.byLocalId(localId);
      if (!entry) continue;
      this.unannounced.delete(localId);
      try {
        const opened = openRoomMessage(keyring.lookup, entry.envelope);
        const body = decodeBody(opened.plaintext);
        this.events.emit('reloaded', { id: localId, username: opened.username, timestamp: opened.timestamp, body: body.ok ? body.value : UNREADABLE_BODY, status: 'pending' });
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        // pump() reports it failed: the key it was sealed under is not held.
      }
    }
  }

  /** The room's keys are known now: what was typed before they were is sealed and queued, in order, under its id. */
  private sealUnsealed(): void {
    const keys = this.verified?.keyring.current;
    if (!keys) return;
    for (const { localId, plaintext, storedAfter } of this.unsealed.splice(0)) {
      const sealed = sealSignedMessage(keys, this.identity, { username: this.currentUsername, plaintext, timestamp: this.clock.now() });
      const entry = this.outbox.restore(localId, sealed, storedAfter);
      this.ledger.expectOwn(entry.wireId, entry.localId);
    }
  }

  // Sending: one message in flight at a time, so the room stores them in the order typed even when
  // one is refused and sent again.

  private pump(): void {
    const live = this.live;
    if (!live || live.inFlight !== undefined || this.timers.has('retry')) return;
    const next = this.outbox.first();
    if (!next) return;
    // Sealed before a rotation, or unsigned by an earlier version: the server takes only signed
    // envelopes of the current epoch.
    const current = this.verified?.keyring.current;
    const sendable = next.envelope[0] === ENVELOPE_VERSION_SIGNED && peekEpoch(next.envelope) === current?.epoch;
    if (current && !sendable && !this.resealed(next)) return;
    live.inFlight = next.localId;
    live.connection.send({ type: 'send', envelope: next.envelope, ...this.amendmentOf(next) });
  }

  /**
   * The seqs an edit or tombstone of ours changes, read from its own envelope: the outbox keeps only
   * sealed envelopes, also across a restart, and an edit is remembered for a later delete.
   */
  private amendmentOf(entry: OutboxEntry): Amendment | Record<string, never> {
    const keyring = this.verified?.keyring;
    if (!keyring) return {};
    let plaintext: Buffer;
    try {
      plaintext = openRoomMessage(keyring.lookup, entry.envelope).plaintext;
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return {};
    }
    const body = decodeBody(plaintext);
    if (!body.ok) return {};
    this.amendments.noteOwn(entry.wireId, body.value);
    return this.amendments.fields(body.value, (id) => this.ledger.seqOf(id));
  }

  private onAck(live: LiveConnection, wireId: string, seq: number): void {
    const entry = this.outbox.byWireId(wireId);
    if (!entry) return; // Already settled by its echo or a catch-up.
    // Settled either way (the next catch-up checks it); a seq beyond the ceiling is not taken (see liveSeqs.ts).
    const counted = live.seqs.live(seq) === 'counted';
    if (counted) this.ledger.confirmOwn(wireId, seq);
    else this.logger.log('warn', 'seq-beyond-ceiling', { seq, ceiling: live.seqs.ceiling });
    this.retryBackoff.reset();
    this.delivered(entry.localId, counted ? seq : undefined, true);
  }

  private onServerError(live: LiveConnection, frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (!frame.id && frame.code === 'rate-limited' && live.history.outstanding) {
      // Sends are refused by id, so an unnamed refusal is about the outstanding history request.
      this.setTimer('history-retry', this.retryBackoff.next(), () => live.history.resend());
      return;
    }
    const entry = frame.id && this.outbox.byWireId(frame.id.toString('hex'));
    if (!entry) {
      this.logger.log('warn', 'server-error', { code: frame.code });
      return;
    }
    switch (frame.code) {
      case 'replay':
        // The server already holds this exact envelope: an earlier send arrived and its ack was lost.
        this.delivered(entry.localId, undefined, true);
        return;
      case 'stale':
        this.reseal(entry, 'the server keeps rejecting the message\'s time: this computer\'s clock is probably more than 5 minutes off');
        return;
      // Sealed under an earlier name of ours (typed before a rename): sealed again under the current one.
      case 'wrong-name':
        this.reseal(entry, `the server refused the message: ${serverErrorWords(frame.code)}`);
        return;
      // storage-full: a read-only room (quota or full disk); the message waits in the outbox for space.
      // unavailable: a cluster node cannot reach its shared store; the message waits for it to return.
      case 'rate-limited':
      case 'internal':
      case 'shutting-down':
      case 'storage-full':
      case 'unavailable':
        this.retryLater(entry, serverErrorWords(frame.code));
        return;
      default:
        this.failed(entry, `the server refused the message: ${serverErrorWords(frame.code)}`);
    }
  }

  /**
   * Settles a message of ours as stored. seq is unknown after a "replay" answer. `unchecked`: on the
   * server's word alone (an ack, a replay answer, a live echo), which a later catch-up checks.
   */
  private delivered(localId: string, seq: number | undefined, unchecked: boolean): void {
    const entry = this.outbox.remove(localId);
    if (entry && unchecked) this.acked.add(entry.wireId, { localId, envelope: entry.envelope, storedAfter: entry.storedAfter });
    this.settleInFlight(localId);
    // Without an outbox entry this is the seq arriving for a message already reported sent.
    if (entry || seq !== undefined) this.events.emit('delivery', { id: localId, status: 'sent', seq });
    this.pump();
  }

  private failed(entry: OutboxEntry, reason: string): void {
    this.outbox.remove(entry.localId);
    this.settleInFlight(entry.localId);
    this.logger.log('warn', 'message-not-delivered', { why: reason });
    this.events.emit('delivery', { id: entry.localId, status: 'failed', reason });
    this.pump();
  }

  /** The server did not store it as sealed (its timestamp too far from the server's clock, an earlier name): sealed again, a few times. */
  private reseal(entry: OutboxEntry, givingUp: string): void {
    entry.staleAnswers += 1;
    this.settleInFlight(entry.localId);
    if (entry.staleAnswers > MAX_STALE_ANSWERS) {
      this.failed(entry, givingUp);
      return;
    }
    if (!this.resealed(entry)) return;
    this.logger.log('info', 'stale-message-resent');
    this.pump();
  }

  /**
   * Seals an outbox message again, now and under the current epoch; false when this client no longer
   * holds the epoch it was sealed under (the message is then reported failed, and the next one sent).
   */
  private resealed(entry: OutboxEntry): boolean {
    const sealed = this.sealAgain(entry.envelope);
    if (!sealed) {
      this.failed(entry, 'the room key it was sealed under is no longer held');
      return false;
    }
    this.outbox.reseal(entry, sealed);
    this.ledger.expectOwn(entry.wireId, entry.localId);
    return true;
  }

  /**
   * The message sealed anew under the current epoch, stamped now, under this client's current name
   * and signed by its key; undefined when this client no longer holds the epoch it was sealed under.
   * The plaintext lives for these lines, never in the outbox.
   */
  private sealAgain(envelope: Buffer): SealedMessage | undefined {
    const keyring = this.verified?.keyring;
    const current = keyring?.current;
    if (!keyring || !current) return undefined;
    let opened: OpenedRoomMessage;
    try {
      opened = openRoomMessage(keyring.lookup, envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return undefined;
    }
    return sealSignedMessage(current, this.identity, { username: this.currentUsername, plaintext: opened.plaintext, timestamp: this.clock.now() });
  }

  /** Acknowledged messages a completed catch-up did not hold were not stored: sealed anew and queued again. */
  private resendMissing(): void {
    for (const missing of this.acked.takeMissing()) {
      const sealed = this.sealAgain(missing.envelope);
      if (!sealed) {
        this.logger.log('warn', 'acknowledged-message-not-stored', { note: 'its room key is no longer held; not sent again' });
        this.events.emit('delivery', { id: missing.localId, status: 'failed', reason: 'the server had not stored it, and its room key is no longer held' });
        continue;
      }
      const entry = this.outbox.restore(missing.localId, sealed, missing.storedAfter);
      this.ledger.expectOwn(entry.wireId, entry.localId);
      this.logger.log('warn', 'acknowledged-message-not-stored', { note: 'sending it again' });
      this.events.emit('delivery', { id: entry.localId, status: 'pending', reason: 'the server had not stored it; sending it again' });
    }
    this.pump();
  }

  private retryLater(entry: OutboxEntry, reason: string): void {
    this.settleInFlight(entry.localId);
    const inMs = this.retryBackoff.next();
    this.events.emit('delivery', { id: entry.localId, status: 'pending', reason: `${reason}; trying again in ${Math.ceil(inMs / 1000)} s` });
    this.setTimer('retry', inMs, () => this.pump());
  }

  private settleInFlight(localId: string): void {
    if (this.live?.inFlight === localId) this.live.inFlight = undefined;
  }

  // History.

  /**
   * After a reconnect, everything stored after resumeFrom (the last seq seen before this connection);
   * on the first connection to a room (resumeFrom null), the latest page.
   */
  private async catchUp(live: LiveConnection, resumeFrom: number | null): Promise<void> {
    try {
      if (resumeFrom === null) {
        if (live.latestSeq > 0) this.emitHistory(live, await live.history.request({ before: live.latestSeq + 1, limit: this.pageSize }));
        return;
      }
      let after = resumeFrom;
      while (after < live.latestSeq) {
        const page = await live.history.request({ after, limit: HISTORY_PAGE_MAX });
        for (const stored of bySeq(page.messages)) {
          const message = this.receive(live, stored, 'catch-up');
          if (message) this.events.emit('message', message);
        }
        if (!page.hasMore || page.messages.length === 0) break;
        after = Math.max(...page.messages.map((m) => m.seq));
      }
      if (this.live === live) this.resendMissing();
    } catch (error) {
      if (error instanceof ChatClientError && error.code === 'offline') return; // The next connection catches up.
      this.logger.log('error', 'catch-up-failed', { error: errorMessage(error) });
    }
  }

  private emitHistory(live: LiveConnection, page: HistoryAnswer): HistoryPage {
    const messages: ChatMessage[] = [];
    for (const stored of bySeq(page.messages)) {
      const message = this.receive(live, stored, 'page');
      if (message) messages.push(message);
    }
    const result: HistoryPage = { messages, hasMore: page.hasMore };
    this.events.emit('history', result);
    return result;
  }

  // Small helpers.

  private requireLive(): LiveConnection {
    if (!this.live) throw new ChatClientError('offline', 'not connected to the server');
    return this.live;
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.events.emit('state', state);
  }

  private setTimer(name: TimerName, ms: number, callback: () => void): void {
    this.clearTimer(name);
    this.timers.set(name, this.clock.setTimer(ms, () => {
      this.timers.delete(name);
      callback();
    }));
  }

  private clearTimer(name: TimerName): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  private assertUsable(): void {
    if (this.disposed) throw new ChatClientError('disposed', 'this chat client has been disposed');
  }
}

function bySeq(messages: readonly StoredMessage[]): StoredMessage[] {
  return [...messages].sort((a, b) => a.seq - b.seq);
}
