// A small chat server for the client's tests, built on the real crypto and wire modules. It behaves
// like the protocol says, and each test can script it to misbehave: run CPace on a password it does
// not know, drop a connection before acking, answer stale or rate-limited, broadcast twice, restart,
// start a new key epoch.
import { randomBytes } from 'crypto';
import { EventEmitter, once } from 'events';
import { AddressInfo, Socket } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import {
  ChannelKeys, CpaceServer, CryptoError, EpochKeys, IdentityKey, OpenedRoomMessage, RoomParams, createRoomParams, deriveMasterSecret,
  epochKeys, newEpochSecret, openRoomMessage, openUsername, respondCpaceServer, sealEpochMessage, sealEpochSecret, sealSignedMessage,
  sealUsername,
} from '../../../src/crypto';
import { TEST_ITERATIONS, TEST_PASSWORD } from '../../support/testServer';
export { TEST_ITERATIONS, TEST_PASSWORD };
import { encodeBody } from '../../../src/protocol/body';
import {
  CLOSE_CODES, ClientFrame, ErrorCode, MAX_FRAME_BYTES, PROTOCOL_VERSION, ServerFrame, StoredMessage, encodeServerFrame, parseClientFrame,
} from '../../../src/protocol/wire';

const STALE_AFTER_MS = 5 * 60 * 1000;

/** What the server does with one valid, fresh, unseen envelope. */
export type SendOutcome =
  | 'store'
  /** Stores it and broadcasts it to the others, then cuts the sender off before its echo or ack. */
  | 'store-and-drop'
  /** Stores it and broadcasts it twice. */
  | 'store-twice'
  | 'stale'
  | 'rate-limited'
  /** Refuses it as the real server does while stopping, then closes with "going away". */
  | 'shutting-down'
  /** Refuses it as a cluster node does while its Redis is out of reach; the connection stays. */
  | 'unavailable'
  /** Acks it under the next seq but stores nothing, as a machine in the middle could. */
  | 'forge-ack'
  /** Answers "replay" (already stored) but stores nothing. */
  | 'forge-replay';

export interface ScriptedServerOptions {
  readonly password?: string;
  readonly iterations?: number;
  /** Runs CPace on another password's secret, as a server that does not know the password would. */
  readonly forgeProof?: boolean;
}

interface Peer {
  readonly socket: WebSocket;
  readonly tcp: Socket;
  cpace?: CpaceServer;
  channel?: ChannelKeys;
  /** Presence entry, once present. */
  user?: Buffer;
}

/** The identity key, the u32 epoch, then the username block. */
export function presenceEntry(key: Uint8Array, epoch: number, block: Buffer): Buffer {
  const number = Buffer.alloc(4);
  number.writeUInt32BE(epoch);
  return Buffer.concat([key, number, block]);
}

export class ScriptedServer extends EventEmitter {
  /** The durable log, ascending by seq. */
  readonly stored: StoredMessage[] = [];
  /** Decides each send; tests replace it. */
  outcome: (envelope: Buffer) => SendOutcome = () => 'store';
  /** Whether and when the sender gets its own message broadcast back: the protocol allows either. */
  echo: 'before-ack' | 'after-ack' | 'none' = 'before-ack';
  /** How many of the coming history requests to refuse as rate-limited, with an error naming none. */
  refuseHistory = 0;
  /** Answers "after" requests with the whole log, as a careless server might. */
  sloppyHistory = false;
  /** Every well-formed frame clients sent, in order. */
  readonly received: ClientFrame[] = [];
  /** Connections that completed the handshake, over the server's lifetime. */
  authenticated = 0;
  private readonly peers = new Set<Peer>();
  private wss: WebSocketServer | undefined;
  private port = 0;

  /** One identity key per name of the other members the tests make up (sealAs, presence). */
  private readonly identities = new Map<string, IdentityKey>();
  /** Epoch secrets by number; the last one is current. */
  private readonly epochs = new Map<number, Buffer>();
  /** The current epoch's keys. */
  keys: EpochKeys;

  private constructor(
    readonly room: RoomParams,
    /** CPace's PRS: the PBKDF2 output of the password it runs CPace on. */
    private readonly prs: Buffer,
  ) {
    super();
    this.keys = this.addEpoch();
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const room = createRoomParams(options.iterations ?? TEST_ITERATIONS);
    const password = options.forgeProof ? 'a password this server does not know' : options.password ?? TEST_PASSWORD;
    const server = new ScriptedServer(room, await deriveMasterSecret(password, room.kdf));
    await server.listen();
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Starts a new random epoch and pushes it to every member, as a rotation does. */
  rotate(): EpochKeys {
    this.keys = this.addEpoch();
    for (const peer of this.peers) this.sendEpoch(peer, this.keys.epoch, true);
    return this.keys;
  }

  /** The keys of any epoch this server made. */
  keysOf(epoch: number): EpochKeys | undefined {
    const secret = this.epochs.get(epoch);
    return secret && epochKeys(secret, this.room.roomId, epoch);
  }

  /** Opens an envelope of any version and epoch. */
  open(envelope: Buffer): OpenedRoomMessage {
    return openRoomMessage((epoch) => this.keysOf(epoch), envelope);
  }

  /** The identity key of the made-up member `name`, the same for the server's lifetime. */
  identityOf(name: string): IdentityKey {
    let identity = this.identities.get(name);
    if (identity === undefined) this.identities.set(name, (identity = IdentityKey.generate()));
    return identity;
  }

  /** A presence entry for `name` (under its made-up key unless given), sealed under the current epoch. */
  presence(name: string, key: Uint8Array = this.identityOf(name).publicKey): Buffer {
    return presenceEntry(key, this.keys.epoch, sealUsername(this.keys, name));
  }

  /** An envelope from another member of the room, signed by its made-up key (version 3). */
  sealAs(username: string, text: string, timestamp = Date.now()): Buffer {
    return sealSignedMessage(this.keys, this.identityOf(username), { username, plaintext: encodeBody({ text }), timestamp }).envelope;
  }

  /** An unsigned envelope (version 2), as history from before signatures holds. */
  sealUnsigned(username: string, text: string, timestamp = Date.now()): Buffer {
    return sealEpochMessage(this.keys, { username, plaintext: encodeBody({ text }), timestamp }).envelope;
  }

  private addEpoch(): EpochKeys {
    const number = this.epochs.size + 1;
    const secret = newEpochSecret();
    this.epochs.set(number, secret);
    return epochKeys(secret, this.room.roomId, number);
  }

  private sendEpoch(peer: Peer, number: number, current: boolean): void {
    if (peer.channel) send(peer, { type: 'epoch', number, secret: sealEpochSecret(peer.channel, this.room.roomId, number, this.epochs.get(number)!), current });
  }

  /** Seqs may have gaps (tests push stored messages by hand), so the latest is the last one's. */
  get latestSeq(): number {
    return this.stored.at(-1)?.seq ?? 0;
  }

  /** Stores an envelope without telling anyone, as if it arrived while this client was away. */
  store(envelope: Buffer): StoredMessage {
    const message = { seq: this.latestSeq + 1, envelope };
    this.stored.push(message);
    return message;
  }

  /** Stores and broadcasts an envelope as a live message. */
  publish(envelope: Buffer): StoredMessage {
    const message = this.store(envelope);
    this.broadcast({ type: 'message', ...message });
    return message;
  }

  broadcast(frame: ServerFrame, except?: Peer): void {
    for (const peer of this.peers) if (peer !== except && peer.user) send(peer, frame);
  }

  /** Stops reading from every connection, like a peer that vanished without closing: no pongs either. */
  freeze(): void {
    for (const peer of this.peers) peer.tcp.pause();
  }

  /** Drops every connection and listens again on the same port, keeping the stored log. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = undefined;
    for (const peer of this.peers) peer.socket.terminate();
    this.peers.clear();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: this.port });
    await once(wss, 'listening');
    this.port = (wss.address() as AddressInfo).port;
    this.wss = wss;
    wss.on('connection', (socket, request) => this.accept(socket, request.socket));
  }

  private accept(socket: WebSocket, tcp: Socket): void {
    const peer: Peer = { socket, tcp };
    this.peers.add(peer);
    const nonce = randomBytes(32);
    send(peer, { type: 'hello', version: PROTOCOL_VERSION, room: this.room, nonce });
    socket.on('message', (data) => {
      const parsed = parseClientFrame(String(data));
      if (!parsed.ok) {
        fail(peer, 'bad-frame', parsed.error);
        return;
      }
      this.received.push(parsed.value);
      if (peer.user) this.onFrame(peer, parsed.value);
      else this.authenticate(peer, nonce, parsed.value);
    });
    socket.on('close', () => {
      this.peers.delete(peer);
      if (peer.user) this.broadcast({ type: 'leave', user: peer.user });
    });
  }

  /** CPace as the responder, then every epoch, then the welcome once the client presented its name. */
  private authenticate(peer: Peer, serverNonce: Buffer, frame: ClientFrame): void {
    try {
      if (frame.type === 'cpace' && !peer.cpace) {
        peer.cpace = respondCpaceServer(this.prs, { roomId: this.room.roomId, serverNonce, clientNonce: frame.nonce }, frame.share);
        send(peer, { type: 'confirm', share: peer.cpace.message, proof: peer.cpace.confirmation });
        return;
      }
      if (frame.type === 'confirm' && peer.cpace && !peer.channel) {
        peer.channel = peer.cpace.finish(frame.proof);
        for (const number of this.epochs.keys()) this.sendEpoch(peer, number, number === this.keys.epoch);
        return;
      }
      if (frame.type === 'present' && peer.channel) {
        openUsername(this.keysOf(frame.epoch)!, frame.user);
        peer.user = presenceEntry(frame.identity, frame.epoch, frame.user);
        this.authenticated += 1;
        const online = [...this.peers].flatMap((p) => (p.user ? [p.user] : []));
        send(peer, { type: 'welcome', epoch: this.keys.epoch, online, latestSeq: this.latestSeq });
        this.broadcast({ type: 'join', user: peer.user }, peer);
        this.emit('authenticated', peer);
        return;
      }
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      fail(peer, 'auth-failed', 'wrong room password');
      peer.socket.close(CLOSE_CODES.authFailed, 'wrong room password');
      return;
    }
    fail(peer, 'not-authenticated', 'authenticate first');
  }

  private onFrame(peer: Peer, frame: ClientFrame): void {
    if (frame.type === 'send') this.onSend(peer, frame.envelope);
    else if (frame.type === 'history') this.onHistory(peer, frame);
  }

  private onSend(peer: Peer, envelope: Buffer): void {
    this.emit('send', envelope);
    let opened;
    try {
      opened = openRoomMessage((epoch) => (epoch === this.keys.epoch ? this.keys : undefined), envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      fail(peer, 'bad-mac', 'message failed verification');
      return;
    }
    const id = opened.messageId;
    if (this.stored.some((m) => this.open(m.envelope).messageId.equals(id))) {
      fail(peer, 'replay', 'message already stored', id);
      return;
    }
    const outcome = Math.abs(opened.timestamp - Date.now()) > STALE_AFTER_MS ? 'stale' : this.outcome(envelope);
    if (outcome === 'stale' || outcome === 'rate-limited' || outcome === 'shutting-down' || outcome === 'unavailable') {
      fail(peer, outcome, outcome, id);
      if (outcome === 'shutting-down') peer.socket.close(CLOSE_CODES.goingAway, outcome);
      return;
    }
    if (outcome === 'forge-ack') {
      send(peer, { type: 'ack', id, seq: this.latestSeq + 1 });
      return;
    }
    if (outcome === 'forge-replay') {
      fail(peer, 'replay', 'message already stored', id);
      return;
    }
    const message = this.store(envelope);
    if (outcome === 'store-and-drop') {
      this.broadcast({ type: 'message', ...message }, peer);
      peer.socket.terminate();
      return;
    }
    const frame: ServerFrame = { type: 'message', ...message };
    this.broadcast(frame, peer);
    if (this.echo === 'before-ack') send(peer, frame);
    send(peer, { type: 'ack', id, seq: message.seq });
    if (this.echo === 'after-ack') send(peer, frame);
    if (outcome === 'store-twice') this.broadcast(frame);
  }

  private onHistory(peer: Peer, frame: Extract<ClientFrame, { type: 'history' }>): void {
    if (this.refuseHistory > 0) {
      this.refuseHistory -= 1;
      fail(peer, 'rate-limited', 'slow down');
      return;
    }
    const { requestId, before, after, limit } = frame;
    let window: StoredMessage[];
    let hasMore: boolean;
    if (this.sloppyHistory) {
      window = this.stored.slice(0, limit);
      hasMore = false;
    } else if (after !== undefined) {
      const newer = this.stored.filter((m) => m.seq > after);
      window = newer.slice(0, limit);
      hasMore = newer.length > limit;
    } else {
      const older = this.stored.filter((m) => before === undefined || m.seq < before);
      window = older.slice(-limit);
      hasMore = older.length > limit;
    }
    // As the real server does, a page is cut to fit one frame: the far end of the window goes first.
    while (window.length > 1 && encodeServerFrame({ type: 'history', requestId, messages: window, hasMore }).length > MAX_FRAME_BYTES) {
      window = after !== undefined ? window.slice(0, -1) : window.slice(1);
      hasMore = true;
    }
    send(peer, { type: 'history', requestId, messages: window, hasMore });
  }
}

function send(peer: Peer, frame: ServerFrame): void {
  if (peer.socket.readyState === WebSocket.OPEN) peer.socket.send(encodeServerFrame(frame));
}

function fail(peer: Peer, code: ErrorCode, message: string, id?: Buffer): void {
  send(peer, { type: 'error', code, message, id });
}
