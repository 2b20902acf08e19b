// A raw-protocol chat client for tests: connects, performs the handshake with the real crypto
// functions, sends frames (well-formed or not) and waits for specific frames. Every wait is bounded.
import type { Socket } from 'net';
import WebSocket from 'ws';
import { randomBytes } from 'crypto';
import {
  CPACE_NONCE_BYTES, ChannelKeys, CpaceClient, EpochKeys, IDENTITY_PUBLIC_KEY_BYTES, IdentityKey, OpenedRoomMessage, ProofContext, RoomParams,
  deriveMasterSecret, epochKeys, openEpochSecret, openRoomMessage, openUsername, proveIdentity, sealSignedMessage, sealUsername,
  startCpaceClient,
} from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { ClientFrame, MAX_FRAME_BYTES, ServerFrame, encodeClientFrame, parseServerFrame } from '../../src/protocol/wire';
import { within } from '../harness/timeout';

export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

const DEFAULT_WAIT_MS = 5_000;

export { within };

const secretCache = new Map<string, Promise<Buffer>>();

/** The room's PBKDF2 output (CPace's PRS), derived once per password and room (PBKDF2 is slow by design). */
export function roomSecret(password: string, room: RoomParams): Promise<Buffer> {
  const id = [password, room.roomId.toString('hex'), room.kdf.salt.toString('hex'), room.kdf.iterations].join(':');
  if (!secretCache.has(id)) secretCache.set(id, deriveMasterSecret(password, room.kdf));
  return secretCache.get(id)!;
}

/** What the client side of one CPace run needs to go on after the server's `confirm`. */
export interface CpaceOffer {
  readonly hello: FrameOf<'hello'>;
  readonly cpace: CpaceClient;
  /** sid = server nonce ‖ client nonce. */
  readonly sessionId: Buffer;
}

interface Waiter {
  readonly match: (frame: ServerFrame) => boolean;
  resolve: (frame: ServerFrame) => void;
  reject: (error: Error) => void;
}

export class RawClient {
  /** Frames received and not yet taken by a wait. */
  readonly inbox: ServerFrame[] = [];
  readonly closed: Promise<CloseInfo>;
  /** The current epoch's keys, once admitted. */
  keys: EpochKeys | null = null;
  /** Every epoch received, by number. */
  readonly epochs = new Map<number, EpochKeys>();
  channel: ChannelKeys | null = null;
  roomId: Buffer | null = null;
  /** This client's identity key: a fresh one per client unless a test gives its own. */
  identity = IdentityKey.generate();
  /** The name this client last presented: what its messages carry unless a test says otherwise. */
  username = 'tester';
  /** sid, Ya and Yb of the last CPace run, once the server's `confirm` arrived. */
  proofContext: ProofContext | null = null;
  /** Every frame sent since record() was called, as sent; null while not recording. */
  recorded: (string | Buffer)[] | null = null;
  private isClosed = false;
  private readonly waiters: Waiter[] = [];

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      this.isClosed = true;
      for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`socket closed (${code}) while waiting`));
      resolve({ code, reason: reason.toString() });
    }));
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      const parsed = parseServerFrame(isBinary ? '' : data.toString('utf8'));
      if (!parsed.ok) throw new Error(`server sent a malformed frame: ${parsed.error}`);
      const waiter = this.waiters.findIndex((w) => w.match(parsed.value));
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0].resolve(parsed.value);
      else this.inbox.push(parsed.value);
    });
  }

  /** Opens a socket; the first frame (hello, or a refusal) lands in the inbox. */
  static connect(url: string): Promise<RawClient> {
    // The same limit the server applies: no server frame may be larger either.
    const ws = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES });
    const client = new RawClient(ws);
    return within(new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    }), DEFAULT_WAIT_MS, `connection to ${url}`);
  }

  /** Connects and authenticates (as `identity`, or a fresh key); resolves with the client and its welcome. */
  static async join(url: string, password: string, username: string, identity?: IdentityKey): Promise<{ client: RawClient; welcome: FrameOf<'welcome'> }> {
    const client = await RawClient.connect(url);
    if (identity) client.identity = identity;
    return { client, welcome: await client.authenticate(password, username) };
  }

  /** Takes the first frame (queued or future) that `match` accepts; rejects once the socket is closed. */
  take(match: (frame: ServerFrame) => boolean, what: string, ms = DEFAULT_WAIT_MS): Promise<ServerFrame> {
    const queued = this.inbox.findIndex(match);
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0]);
    if (this.isClosed) return Promise.reject(new Error(`socket closed before ${what}`));
    const waiter: Waiter = { match, resolve: () => undefined, reject: () => undefined };
    const found = new Promise<ServerFrame>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
      this.waiters.push(waiter);
    });
    return within(found, ms, what).finally(() => {
      const index = this.waiters.indexOf(waiter);
      if (index >= 0) this.waiters.splice(index, 1);
    });
  }

  /** Takes the first frame of this type (queued or future) that matches. */
  next<T extends ServerFrame['type']>(type: T, match: (frame: FrameOf<T>) => boolean = () => true, ms = DEFAULT_WAIT_MS): Promise<FrameOf<T>> {
    return this.take((frame) => frame.type === type && match(frame as FrameOf<T>), `a "${type}" frame`, ms) as Promise<FrameOf<T>>;
  }

  /** The server's answer to one sent envelope: its ack or an error naming it. */
  outcome(messageId: Buffer, ms = DEFAULT_WAIT_MS): Promise<FrameOf<'ack'> | FrameOf<'error'>> {
    const names = (frame: ServerFrame) => (frame.type === 'ack' || frame.type === 'error') && frame.id?.equals(messageId) === true;
    return this.take(names, 'an ack or error for a message', ms) as Promise<FrameOf<'ack'> | FrameOf<'error'>>;
  }

  /** The next error frame with this code. */
  error(code: FrameOf<'error'>['code'], ms = DEFAULT_WAIT_MS): Promise<FrameOf<'error'>> {
    return this.next('error', (frame) => frame.code === code, ms);
  }

  waitClosed(ms = DEFAULT_WAIT_MS): Promise<CloseInfo> {
    return within(this.closed, ms, 'the socket to close');
  }

  /** The TCP socket under the WebSocket: pausing it makes a peer that stops reading. */
  get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  sendRaw(data: string | Buffer): void {
    this.recorded?.push(data);
    this.ws.send(data);
  }

  /** Starts keeping a copy of every frame sent (for replaying a whole session). */
  record(): void {
    this.recorded ??= [];
  }

  send(frame: ClientFrame): void {
    this.sendRaw(encodeClientFrame(frame));
  }

  /** Answers the hello with a CPace share made from `password` (right or wrong). */
  async offerCpace(password: string): Promise<CpaceOffer> {
    const hello = await this.next('hello');
    const context = { roomId: hello.room.roomId, serverNonce: hello.nonce, clientNonce: randomBytes(CPACE_NONCE_BYTES) };
    const cpace = startCpaceClient(await roomSecret(password, hello.room), context);
    this.send({ type: 'cpace', nonce: context.clientNonce, share: cpace.message });
    this.roomId = hello.room.roomId;
    return { hello, cpace, sessionId: Buffer.concat([hello.nonce, context.clientNonce]) };
  }

  /** Checks the server's `confirm` (throws CryptoError if it does not check) and confirms in turn. */
  async confirm(offer: CpaceOffer): Promise<ChannelKeys> {
    const confirm = await this.next('confirm');
    const { confirmation, channel } = offer.cpace.finish(confirm.share, confirm.proof);
    this.proofContext = { sessionId: offer.sessionId, clientMessage: offer.cpace.message, serverMessage: confirm.share };
    this.send({ type: 'confirm', proof: confirmation });
    this.channel = channel;
    return channel;
  }

  /** Takes the next `epoch` frame and opens it under the channel keys. */
  async nextEpoch(ms = DEFAULT_WAIT_MS): Promise<FrameOf<'epoch'>> {
    const frame = await this.next('epoch', () => true, ms);
    this.applyEpoch(frame);
    return frame;
  }

  applyEpoch(frame: FrameOf<'epoch'>): void {
    const keys = epochKeys(openEpochSecret(this.channel!, this.roomId!, frame.number, frame.secret), this.roomId!, frame.number);
    this.epochs.set(frame.number, keys);
    if (frame.current) this.keys = keys;
  }

  /** The handshake up to the welcome: CPace both ways, the epochs, then `present`. */
  async present(password: string, username: string): Promise<void> {
    await this.confirm(await this.offerCpace(password));
    for (;;) if ((await this.nextEpoch()).current) break;
    this.sendPresent(username);
  }

  /** `present` under the current epoch: the name, this client's identity key and its proof for this connection. */
  sendPresent(username: string, identity = this.identity): void {
    this.username = username;
    this.send({
      type: 'present', epoch: this.keys!.epoch, user: sealUsername(this.keys!, username),
      identity: identity.publicKey, identityProof: proveIdentity(identity, this.proofContext!),
    });
  }

  /** The full handshake: `present`, then the welcome. */
  async authenticate(password: string, username: string): Promise<FrameOf<'welcome'>> {
    await this.present(password, username);
    return this.next('welcome');
  }

  /** The name in a presence entry (identity key, u32 epoch, then the username block). */
  name(entry: Buffer): string {
    return openUsername(this.epochs.get(entry.readUInt32BE(IDENTITY_PUBLIC_KEY_BYTES))!, entry.subarray(IDENTITY_PUBLIC_KEY_BYTES + 4));
  }

  /** The identity key of a presence entry. */
  static keyOf(entry: Buffer): Buffer {
    return entry.subarray(0, IDENTITY_PUBLIC_KEY_BYTES);
  }

  /** Opens an envelope of any version and epoch this client holds. */
  open(envelope: Buffer): OpenedRoomMessage {
    return openRoomMessage((epoch) => this.epochs.get(epoch), envelope);
  }

  /**
   * Seals a text message under the current epoch, signed (version 3) by this client's identity, under
   * the name it presented unless given; `timestamp` defaults to now.
   */
  seal(text: string, username = this.username, timestamp = Date.now(), identity = this.identity): { messageId: Buffer; envelope: Buffer } {
    if (!this.keys) throw new Error('authenticate first');
    return sealSignedMessage(this.keys, identity, { username, plaintext: encodeBody({ text }), timestamp });
  }

  /** Sends an envelope and waits for its ack. */
  async sendAndAck(envelope: { messageId: Buffer; envelope: Buffer }): Promise<FrameOf<'ack'>> {
    this.send({ type: 'send', envelope: envelope.envelope });
    return this.next('ack', (ack) => ack.id.equals(envelope.messageId));
  }

  /** One history request and its answer. */
  history(query: { before?: number; after?: number; limit: number }): Promise<FrameOf<'history'>> {
    const requestId = randomBytes(8).toString('hex');
    this.send({ type: 'history', requestId, ...query });
    return this.next('history', (page) => page.requestId === requestId);
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.waitClosed();
  }
}
