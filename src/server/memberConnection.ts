// One client socket, from `hello` to close: the CPace handshake, then `present`, `send`, `history`
// and `typing` frames. The order of checks for `send` is part of the protocol (docs/PROTOCOL.md): size, version,
// MAC and signature, signer and name, replay, stale.
import { randomBytes } from 'crypto';
import type WebSocket from 'ws';
import {
  CPACE_NONCE_BYTES, ChannelKeys, CpaceServer, CryptoError, ENVELOPE_VERSION_SIGNED, MAX_ENVELOPE_V3_BYTES, MAX_PLAINTEXT_BYTES,
  ProofContext, openSignedMessage, openUsername, peekMessageId, respondCpaceServer, sealEpochSecret, verifyIdentityProof,
} from '../crypto';
import { decodeBase64 } from '../protocol/base64';
import {
  CLOSE_CODES, ClientFrame, ErrorCode, PROTOCOL_VERSION, ServerFrame, encodeServerFrame, parseClientFrame,
} from '../protocol/wire';
import type { EpochRecord } from './room';
import type { RoomSecrets } from './roomSecrets';
import type { Limits } from './config';
import { AddressBuckets, AuthBackoff, TokenBucket } from './limiters';
import { isStorageFull } from './files';
import type { StorageGuard } from './storageGuard';
import type { Logger } from './logger';
import type { Presence, PresenceMember } from './presence';
import { ReplayError, RoomLog, UnavailableError } from './roomLog';
import type { StoredDirectory } from './storedDirectory';
import { TombstoneOverlay, TombstonesFullError } from './tombstones';
import { authoredBy } from './authorship';
import { TypingPace } from '../protocol/typing';
import { typingRefusal } from './typingRelay';

/** Journal record header and fixed fields (journal.ts): what a message costs on disk beyond its envelope. */
const JOURNAL_RECORD_OVERHEAD = 24;

/** `{"type":"history","requestId":"<64 chars>","messages":[],"hasMore":false}` with room to spare. */
const HISTORY_FRAME_OVERHEAD = 256;

/** What a connection needs from the server around it. */
export interface ConnectionContext {
  readonly secrets: RoomSecrets;
  readonly limits: Limits;
  /** The room's messages: this machine's store, or a cluster's shared log. */
  readonly store: RoomLog;
  readonly logger: Logger;
  readonly backoff: AuthBackoff;
  /** Envelope bytes per address (all its connections) and for the whole room. */
  readonly addressRates: AddressBuckets;
  readonly roomRate: TokenBucket;
  readonly storage: StorageGuard;
  /** Authenticated connections, in the order they joined. */
  readonly presence: Presence<PresenceMember>;
  /** Names bound to identity keys: `present` claims one. */
  readonly directory: StoredDirectory;
  /** Deleted messages: every history page is served through it. */
  readonly tombstones: TombstoneOverlay;
  isShuttingDown(): boolean;
  /** After each stored message: the automatic rotation rules look at the count. */
  onStored(): void;
}

const MESSAGES: Record<ErrorCode, string> = {
  'bad-frame': 'malformed frame',
  'too-large': 'envelope too large',
  'bad-mac': 'message failed verification',
  stale: 'message timestamp too far from the server clock; seal it again',
  replay: 'message already stored',
  'rate-limited': 'too many frames; slow down',
  'auth-failed': 'authentication failed',
  'not-authenticated': 'authenticate first',
  'handshake-timeout': 'authentication took too long',
  backoff: 'too many failed attempts; try again later',
  'server-full': 'server is full',
  'slow-consumer': 'connection not reading fast enough',
  'shutting-down': 'server is shutting down',
  internal: 'internal server error',
  'storage-full': 'the server has no room to store messages; history can still be read',
  'upgrade-required': 'this server speaks protocol 2: upgrade the Secure Chat extension',
  'password-changed': 'the room password was changed',
  'name-taken': 'this name belongs to another member of the room',
  'too-many-names': 'this identity holds too many names',
  'directory-full': 'the room has too many members',
  'signature-required': 'messages must be signed (envelope version 3): upgrade the Secure Chat extension',
  'wrong-signer': 'the message is signed by another identity key than this connection presented',
  'wrong-name': 'the message is sent under another name than this connection presented',
  unavailable: 'the server cannot reach its message store; try again shortly',
  'not-author': 'the message edited or deleted is not signed by this connection\'s identity key, or is not stored',
  'unknown-room': 'this server serves no room at this address',
};

/** Sends one error frame and the close frame. */
function sendClose(ws: WebSocket, code: ErrorCode, closeCode: number): void {
  ws.send(encodeServerFrame({ type: 'error', code, message: MESSAGES[code] }));
  ws.close(closeCode, code);
}

/**
 * Refuses a socket that has not authenticated: the error and close frames go out, and the socket is
 * dropped `graceMs` later unless the peer has completed the closing handshake by then. Dropping it
 * at once can lose the close code (a reset discards what the peer has not read yet); waiting for
 * ws's own 30 s close timeout would let a peer that never answers keep its slot that long.
 */
export function refuse(ws: WebSocket, code: ErrorCode, closeCode: number, graceMs: number): void {
  sendClose(ws, code, closeCode);
  const drop = setTimeout(() => ws.terminate(), graceMs);
  drop.unref();
  ws.once('close', () => clearTimeout(drop));
}

/** Bytes a canonical base64 text decodes to, or null if it is not base64. */
function decodedLength(text: string): number | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return (text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
}

/**
 * An envelope too large for the wire parser still gets its own error code: null when the frame is
 * not a `send` of more than MAX_ENVELOPE_V3_BYTES decoded bytes, otherwise the message id read from
 * its start (undefined if unreadable). Measured on the decoded bytes, as docs/PROTOCOL.md says:
 * the base64 length alone cannot tell 32,905 bytes from 32,907.
 */
/** Base64 characters read for the message id: 96 bytes, more than any envelope version's header holds before it ends. */
const HEADER_PREFIX_CHARS = 128;

function oversizedEnvelopeId(raw: string): Buffer | undefined | null {
  try {
    const value = JSON.parse(raw) as { type?: unknown; envelope?: unknown };
    if (value?.type !== 'send' || typeof value.envelope !== 'string' || (decodedLength(value.envelope) ?? 0) <= MAX_ENVELOPE_V3_BYTES) return null;
    const prefix = decodeBase64(value.envelope.slice(0, HEADER_PREFIX_CHARS), 0, HEADER_PREFIX_CHARS / 4 * 3);
    return (prefix && peekMessageId(prefix)) ?? undefined;
  } catch {
    return null;
  }
}

/** A presence entry: the member's identity key, the epoch number (u32), then the username block sealed under it. */
function presenceEntry(identity: Buffer, epoch: number, block: Buffer): Buffer {
  const number = Buffer.alloc(4);
  number.writeUInt32BE(epoch);
  return Buffer.concat([identity, number, block]);
}

export class MemberConnection {
  /** Keys of the CPace-keyed channel, once the client's confirmation checked: only then are epoch secrets sent. */
  private channel: ChannelKeys | null = null;
  /** The presence entry (identity key, epoch, encrypted username block): set by `present`, which makes the connection a member. */
  user: Buffer | null = null;
  /** The identity key this connection proved it holds, once present: every message it sends must be signed by it. */
  identity: Buffer | null = null;
  /** The name this connection presented, bound to its key in the directory: every message it sends must carry it. */
  name: string | null = null;
  /** Cleared on each ping, set by the pong: a peer still unset at the next ping is dead. */
  alive = true;
  private readonly nonce = randomBytes(CPACE_NONCE_BYTES);
  /** The server's half of CPace, between its `confirm` and the client's. */
  private cpace: CpaceServer | null = null;
  /** sid, Ya and Yb of this connection's CPace run: what an identity proof must sign. */
  private proofContext: ProofContext | null = null;
  /**
   * Set once `confirm` went out: the peer could check one password guess against it, so unless its
   * own confirmation checks, the connection counts as one failure toward back-off, exactly once.
   */
  private guessPending = false;
  private readonly bucket: TokenBucket;
  private readonly typingPace = new TypingPace();
  private badFrames = 0;
  private closed = false;
  private readonly handshakeTimer: NodeJS.Timeout;

  /** `onAuthenticated` runs once, when the handshake succeeds. */
  constructor(private readonly ws: WebSocket, readonly address: string, private readonly context: ConnectionContext, private readonly onAuthenticated: () => void) {
    this.bucket = new TokenBucket(context.limits.framesPerSecond, context.limits.frameBurst);
    // A socket held open without authenticating counts as a failed attempt: otherwise one address
    // could hold slots for ever by opening a new socket each time one times out.
    this.handshakeTimer = setTimeout(() => {
      this.guessPending = false;
      context.backoff.fail(address);
      this.closeWith('handshake-timeout', CLOSE_CODES.handshakeTimeout);
    }, context.limits.handshakeTimeoutMs);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? null : data.toString('utf8')));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.onClose());
    ws.on('error', (error) => context.logger.log('warn', 'socket-error', { address, error: error.message }));
    this.send({ type: 'hello', version: PROTOCOL_VERSION, room: context.secrets.room, nonce: this.nonce });
  }

  /** A member: proved the password and presented its username block. Members get messages and presence. */
  get authenticated(): boolean {
    return this.user !== null;
  }

  /** A new epoch, sealed for this connection. `current`: new messages are to be sealed under it. */
  sendEpoch(epoch: EpochRecord, current: boolean): void {
    if (!this.channel) return;
    const secret = sealEpochSecret(this.channel, this.context.secrets.room.roomId, epoch.number, epoch.secret);
    this.send({ type: 'epoch', number: epoch.number, secret, current });
  }

  send(frame: ServerFrame): void {
    if (!this.closed) this.sendEncoded(encodeServerFrame(frame));
  }

  /** Queues an encoded frame; a client that lets too much pile up is closed rather than allowed to grow memory. */
  sendEncoded(text: string): void {
    if (this.closed) return;
    this.ws.send(text);
    if (this.ws.bufferedAmount > this.context.limits.sendBufferBytes) {
      this.context.logger.log('warn', 'slow-consumer', { address: this.address, buffered: this.ws.bufferedAmount });
      this.closeWith('slow-consumer', CLOSE_CODES.slowConsumer);
      // A peer that does not read will not complete the closing handshake either.
      setTimeout(() => this.ws.terminate(), this.context.limits.closeGraceMs).unref();
    }
  }

  /** Heartbeat: terminates a peer that never answered the previous ping. */
  ping(): void {
    if (!this.alive) {
      this.context.logger.log('info', 'peer-dead', { address: this.address });
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** The error frame goes out unchecked: it is the last frame, and the close follows it. */
  closeWith(code: ErrorCode, closeCode: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.authenticated) sendClose(this.ws, code, closeCode);
    else refuse(this.ws, code, closeCode, this.context.limits.closeGraceMs);
  }

  /** Graceful shutdown: no error frame, just "going away". */
  goAway(): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(CLOSE_CODES.goingAway, 'shutting-down');
  }

  /** `about` names what the error answers: a message id, or the requestId of a `history` frame. */
  private error(code: ErrorCode, about?: Buffer | string | null): void {
    const id = Buffer.isBuffer(about) ? about : undefined;
    const requestId = typeof about === 'string' ? about : undefined;
    this.send({ type: 'error', code, message: MESSAGES[code], id, requestId });
  }

  private onMessage(raw: string | null): void {
    if (this.closed) return;
    const parsed = raw === null ? null : parseClientFrame(raw);
    if (!parsed?.ok) {
      if (!this.authenticated) return this.closeWith('bad-frame', CLOSE_CODES.protocolViolation);
      const oversized = raw === null ? null : oversizedEnvelopeId(raw);
      if (oversized !== null) this.error('too-large', oversized);
      else this.error('bad-frame');
      return this.countBadFrame();
    }
    const frame = parsed.value;
    if (!this.authenticated) return this.handshake(frame);
    if (frame.type === 'typing') return this.relayTyping(frame.envelope);
    if (frame.type !== 'send' && frame.type !== 'history') {
      this.error('bad-frame');
      return this.countBadFrame();
    }
    if (!this.bucket.take() || (frame.type === 'send' && !this.takeBytes(frame.envelope.length))) {
      return this.error('rate-limited', frame.type === 'send' ? peekMessageId(frame.envelope) : frame.requestId);
    }
    if (frame.type === 'send') this.accept(frame);
    else this.sendHistory(frame);
  }

  /** Over the pace or the frame budget: dropped unanswered (docs/PROTOCOL.md, `typing`). Never stored. */
  private relayTyping(envelope: Buffer): void {
    const now = Date.now();
    if (!this.typingPace.pass(now) || !this.bucket.take()) return;
    const { secrets, limits, presence } = this.context;
    const refusal = typingRefusal(envelope, {
      keyring: (epoch) => secrets.keysForSending(epoch, now), identity: this.identity!, name: this.name!, maxClockSkewMs: limits.maxClockSkewMs,
    }, now);
    if (refusal !== null) return this.error(refusal, peekMessageId(envelope));
    presence.broadcast({ type: 'typing', envelope }, this);
  }

  /** Envelope bytes from the address's and the room's budgets: both or neither. */
  private takeBytes(bytes: number): boolean {
    const address = this.context.addressRates.get(this.address);
    if (!address.has(bytes) || !this.context.roomRate.has(bytes)) return false;
    address.take(bytes);
    this.context.roomRate.take(bytes);
    return true;
  }

  private countBadFrame(): void {
    this.badFrames += 1;
    if (this.badFrames > this.context.limits.maxBadFrames) {
      this.context.logger.log('warn', 'too-many-bad-frames', { address: this.address });
      this.closeWith('bad-frame', CLOSE_CODES.protocolViolation);
    }
  }

  /**
   * Before membership only `cpace`, then `confirm`, then `present` are accepted, in that order;
   * version 1's `auth` learns it must upgrade.
   */
  private handshake(frame: ClientFrame): void {
    if (frame.type === 'auth') return this.closeWith('upgrade-required', CLOSE_CODES.upgradeRequired);
    if (this.channel !== null) {
      // One `present` at a time: after a claim, nothing until its welcome (or refusal).
      if (frame.type === 'present' && this.identity === null) return this.present(frame);
      return this.closeWith('not-authenticated', CLOSE_CODES.protocolViolation);
    }
    if (frame.type === 'cpace' && this.cpace === null && !this.guessPending) return this.respond(frame);
    if (frame.type === 'confirm' && this.cpace !== null) return this.admit(frame);
    if (this.guessPending) return this.refuseGuess();
    this.closeWith('not-authenticated', CLOSE_CODES.protocolViolation);
  }

  /** CPace's responder step: Yb and the server's confirmation, computed on receipt of Ya. */
  private respond(frame: Extract<ClientFrame, { type: 'cpace' }>): void {
    const { secrets } = this.context;
    const context = { roomId: secrets.room.roomId, serverNonce: this.nonce, clientNonce: frame.nonce };
    this.guessPending = true;
    try {
      this.cpace = respondCpaceServer(secrets.prs, context, frame.share);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.refuseGuess();
    }
    this.proofContext = { sessionId: Buffer.concat([this.nonce, frame.nonce]), clientMessage: frame.share, serverMessage: this.cpace.message };
    this.send({ type: 'confirm', share: this.cpace.message, proof: this.cpace.confirmation });
  }

  /** The client's confirmation checked: it gets every epoch, oldest first and the current one last. */
  private admit(frame: Extract<ClientFrame, { type: 'confirm' }>): void {
    const { secrets } = this.context;
    let channel: ChannelKeys;
    try {
      channel = this.cpace!.finish(frame.proof);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.refuseGuess();
    } finally {
      this.cpace = null;
    }
    this.guessPending = false;
    this.channel = channel;
    // A member reads all of the history, so it gets every epoch.
    for (const epoch of secrets.epochs) this.sendEpoch(epoch, epoch === secrets.current);
  }

  /** The one generic refusal of a failed CPace run; it counts once toward the address's back-off. */
  private refuseGuess(): void {
    this.countFailedGuess();
    this.closeWith('auth-failed', CLOSE_CODES.authFailed);
  }

  private countFailedGuess(): void {
    if (!this.guessPending) return;
    this.guessPending = false;
    const blocked = this.context.backoff.fail(this.address);
    this.context.logger.log('warn', 'auth-failed', { address: this.address, backedOff: blocked });
  }

  /**
   * The username block, sealed under the current epoch (or the previous one, just after a change),
   * and the identity key with its proof for this connection: the name is claimed in the directory
   * for that key, and with it the connection becomes a member, is welcomed and announced. A name
   * bound to another key is refused and the connection may present another (within the handshake time).
   */
  private present(frame: Extract<ClientFrame, { type: 'present' }>): void {
    const { secrets, directory } = this.context;
    const keys = secrets.keysForSending(frame.epoch);
    let name: string;
    try {
      if (!keys) throw new CryptoError();
      name = openUsername(keys, frame.user);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.closeWith('bad-frame', CLOSE_CODES.protocolViolation);
    }
    try {
      verifyIdentityProof(frame.identity, this.proofContext!, frame.identityProof);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.closeWith('auth-failed', CLOSE_CODES.authFailed);
    }
    const claim = directory.claim(name, frame.identity, Date.now());
    if (claim.kind === 'name-taken' || claim.kind === 'too-many-names' || claim.kind === 'directory-full') {
      this.error(claim.kind);
      // Each refused claim costs a signature check: a connection may try only a few names.
      return this.countBadFrame();
    }
    clearTimeout(this.handshakeTimer);
    this.identity = frame.identity;
    this.name = name;
    const user = presenceEntry(frame.identity, frame.epoch, frame.user);
    // A new binding or rename is on disk before the welcome acknowledges it. A failed write is the
    // server's fault, not the member's: it may come back and claim again (a new write).
    const saving = directory.saved();
    if (saving === null) return this.join(frame.identity, name, user);
    saving.then(() => this.join(frame.identity, name, user), () => this.closeWith('internal', CLOSE_CODES.goingAway));
  }

  /** The claim is durable: the connection becomes a member, is welcomed and announced. */
  private join(identity: Buffer, name: string, user: Buffer): void {
    if (this.closed) return;
    const { secrets, logger, presence, store } = this.context;
    this.user = user;
    this.onAuthenticated();
    if (!presence.join(this, { key: identity, name, entry: user }, secrets.current.number, store.latestSeq())) {
      return this.closeWith('server-full', CLOSE_CODES.serverFull);
    }
    logger.log('info', 'authenticated', { address: this.address, online: presence.size });
  }

  private accept(frame: Extract<ClientFrame, { type: 'send' }>): void {
    const { envelope } = frame;
    const { secrets, store } = this.context;
    if (this.context.isShuttingDown()) return this.error('shutting-down', peekMessageId(envelope));
    // Unsigned envelopes (versions 1 and 2) are history only: a new message must be signed.
    if (envelope[0] !== ENVELOPE_VERSION_SIGNED) return this.error('signature-required', peekMessageId(envelope));
    let opened;
    try {
      // Only the current epoch (or the previous one just after a change); MAC, then signature.
      opened = openSignedMessage((epoch) => secrets.keysForSending(epoch), envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      return this.error('bad-mac', peekMessageId(envelope));
    }
    const { messageId, messageIv, timestamp, plaintext } = opened;
    // Public keys and a name this connection presented: nothing secret to compare in constant time.
    if (!opened.signer.equals(this.identity!)) return this.error('wrong-signer', messageId);
    if (opened.username !== this.name) return this.error('wrong-name', messageId);
    // PKCS#7 lets a ciphertext of the largest size hold up to 32,783 bytes; a body is at most 32,768.
    if (plaintext.length > MAX_PLAINTEXT_BYTES) {
      this.error('too-large', messageId);
      return this.countBadFrame();
    }
    // An edit or a tombstone changes only messages of the same key (a read of the log, off the event loop).
    const changes = frame.deletes ?? (frame.edits === undefined ? [] : [frame.edits]);
    if (changes.length === 0) return this.store(envelope, messageId, messageIv, timestamp, undefined);
    void authoredBy(store, changes, this.identity!).then(
      (authored) => (authored ? this.store(envelope, messageId, messageIv, timestamp, frame.deletes) : this.error('not-author', messageId)),
      (error: Error) => this.readFailed(error, messageId),
    );
  }

  /** Checks 7 to 9 and the append; a tombstone (`deletes`) replaces those seqs on disk before it is appended. */
  private store(envelope: Buffer, messageId: Buffer, messageIv: Buffer, timestamp: number, deletes: readonly number[] | undefined): void {
    const { store, limits, logger, storage, tombstones } = this.context;
    if (this.closed) return;
    // Replay before stale: an old envelope resent after a long absence learns it is already stored.
    if (store.holdsRecent(messageId, messageIv)) return this.error('replay', messageId);
    if (Math.abs(Date.now() - timestamp) > limits.maxClockSkewMs) {
      // Refused either way; only which answer depends on the sealed history, read off the event loop.
      void store.holdsAnywhere(messageId, messageIv, timestamp).then(
        (held) => this.error(held ? 'replay' : 'stale', messageId),
        (error: Error) => this.readFailed(error, messageId),
      );
      return;
    }
    const bytes = JOURNAL_RECORD_OVERHEAD + envelope.length;
    if (storage.refuses(bytes)) return this.error('storage-full', messageId);
    if (!deletes) return this.append(envelope, messageId, messageIv, bytes);
    // The deleted messages are never served again from here on, whatever becomes of the append.
    tombstones.add(deletes, envelope).then(() => this.append(envelope, messageId, messageIv, bytes), (failure: Error) => {
      if (failure instanceof TombstonesFullError) return this.error('storage-full', messageId);
      // An outage is logged once by the log itself.
      if (failure instanceof UnavailableError) return this.error('unavailable', messageId);
      logger.log('error', 'tombstone-write-failed', { error: failure.message });
      this.error(isStorageFull(failure) ? 'storage-full' : 'internal', messageId);
    });
  }

  private append(envelope: Buffer, messageId: Buffer, messageIv: Buffer, bytes: number): void {
    const { store, presence, logger, storage } = this.context;
    if (this.closed) return;
    store.append({ messageId, messageIv, envelope }, (error, seq) => {
      if (error) {
        if (error instanceof ReplayError) return this.error('replay', messageId);
        if (isStorageFull(error)) {
          storage.writeFailedFull();
          return this.error('storage-full', messageId);
        }
        // An outage is logged once by the log itself, not once per refused message.
        if (error instanceof UnavailableError) return this.error('unavailable', messageId);
        logger.log('error', 'store-append-failed', { error: error.message });
        return this.error('internal', messageId);
      }
      storage.appended(bytes);
      this.send({ type: 'ack', id: messageId, seq });
      if (!store.fansOut) presence.broadcast({ type: 'message', seq, envelope }, this);
      this.context.onStored();
    }, this);
  }

  /** A read of the log failed: `unavailable` when its service is out of reach (the peer may retry). */
  private readFailed(error: Error, about: Buffer | string): void {
    if (error instanceof UnavailableError) return this.error('unavailable', about);
    this.context.logger.log('error', 'store-read-failed', { error: error.message });
    this.error('internal', about);
  }

  /** Pages are cut to fit one frame of at most maxFrameBytes, so clients can use the same ws limit. */
  private sendHistory(frame: Extract<ClientFrame, { type: 'history' }>): void {
    const budget = this.context.limits.maxFrameBytes - HISTORY_FRAME_OVERHEAD;
    this.context.store.history(frame, budget).then((stored) => this.context.tombstones.apply(stored, frame.after !== undefined, budget)).then(
      (page) => this.send({ type: 'history', requestId: frame.requestId, messages: page.messages, hasMore: page.hasMore }),
      (error: Error) => this.readFailed(error, frame.requestId),
    );
  }

  private onClose(): void {
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    // A peer that took the server's confirmation and left without its own tested one guess.
    this.countFailedGuess();
    const { presence, logger } = this.context;
    if (!this.user || !presence.leave(this)) return;
    logger.log('info', 'left', { address: this.address, online: presence.size });
  }
}
