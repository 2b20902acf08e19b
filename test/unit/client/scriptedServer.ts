// A small chat server for the client's tests, built on the real crypto and wire modules. It behaves
// like the protocol says, and each test can script it to misbehave: forge its proof, drop a
// connection before acking, answer stale or rate-limited, broadcast twice, restart.
import { EventEmitter, once } from 'events';
import { AddressInfo, Socket } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import {
  CryptoError, RoomKeys, RoomParams, createRoomParams, deriveRoomKeys, newNonce, openMessage, sealMessage, serverProof,
  verifyClientProof,
} from '../../../src/crypto';
import { TEST_ITERATIONS, TEST_PASSWORD } from '../../support/testServer';
export { TEST_ITERATIONS, TEST_PASSWORD };
import { encodeBody } from '../../../src/protocol/body';
import {
  CLOSE_CODES, ClientFrame, ErrorCode, PROTOCOL_VERSION, ServerFrame, StoredMessage, encodeServerFrame, parseClientFrame,
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
  /** Acks it under the next seq but stores nothing, as a machine in the middle could. */
  | 'forge-ack'
  /** Answers "replay" (already stored) but stores nothing. */
  | 'forge-replay';

export interface ScriptedServerOptions {
  readonly password?: string;
  readonly iterations?: number;
  /** Sends a proof made with the wrong key, as a server that does not know the password would. */
  readonly forgeProof?: boolean;
}

interface Peer {
  readonly socket: WebSocket;
  readonly tcp: Socket;
  user?: Buffer;
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
  /** Connections that completed the handshake, over the server's lifetime. */
  authenticated = 0;
  private readonly peers = new Set<Peer>();
  private wss: WebSocketServer | undefined;
  private port = 0;

  private constructor(
    readonly room: RoomParams,
    readonly keys: RoomKeys,
    private readonly options: ScriptedServerOptions,
  ) {
    super();
  }

  static async start(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const room = createRoomParams(options.iterations ?? TEST_ITERATIONS);
    const server = new ScriptedServer(room, await deriveRoomKeys(options.password ?? TEST_PASSWORD, room), options);
    await server.listen();
    return server;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** An envelope from another member of the room. */
  sealAs(username: string, text: string, timestamp = Date.now()): Buffer {
    return sealMessage(this.keys, { username, plaintext: encodeBody({ text }), timestamp }).envelope;
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
    const nonce = newNonce();
    send(peer, { type: 'hello', version: PROTOCOL_VERSION, room: this.room, nonce });
    socket.on('message', (data) => {
      const parsed = parseClientFrame(String(data));
      if (!parsed.ok) {
        fail(peer, 'bad-frame', parsed.error);
        return;
      }
      if (peer.user) this.onFrame(peer, parsed.value);
      else this.authenticate(peer, nonce, parsed.value);
    });
    socket.on('close', () => {
      this.peers.delete(peer);
      if (peer.user) this.broadcast({ type: 'leave', user: peer.user });
    });
  }

  private authenticate(peer: Peer, serverNonce: Buffer, frame: ClientFrame): void {
    if (frame.type !== 'auth') {
      fail(peer, 'not-authenticated', 'authenticate first');
      return;
    }
    const transcript = { room: this.room, serverNonce, clientNonce: frame.nonce, usernameBlock: frame.user };
    try {
      verifyClientProof(this.keys, transcript, frame.proof);
    } catch {
      fail(peer, 'auth-failed', 'wrong room password');
      peer.socket.close(CLOSE_CODES.authFailed, 'wrong room password');
      return;
    }
    const proofKeys = this.options.forgeProof ? { ...this.keys, handshakeAuth: Buffer.alloc(32, 7) } : this.keys;
    peer.user = frame.user;
    this.authenticated += 1;
    const online = [...this.peers].flatMap((p) => (p.user ? [p.user] : []));
    send(peer, { type: 'welcome', proof: serverProof(proofKeys, transcript), online, latestSeq: this.latestSeq });
    this.broadcast({ type: 'join', user: frame.user }, peer);
    this.emit('authenticated', peer);
  }

  private onFrame(peer: Peer, frame: ClientFrame): void {
    if (frame.type === 'send') this.onSend(peer, frame.envelope);
    else if (frame.type === 'history') this.onHistory(peer, frame);
  }

  private onSend(peer: Peer, envelope: Buffer): void {
    this.emit('send', envelope);
    let opened;
    try {
      opened = openMessage(this.keys, envelope);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      fail(peer, 'bad-mac', 'message failed verification');
      return;
    }
    const id = opened.messageId;
    if (this.stored.some((m) => openMessage(this.keys, m.envelope).messageId.equals(id))) {
      fail(peer, 'replay', 'message already stored', id);
      return;
    }
    const outcome = Math.abs(opened.timestamp - Date.now()) > STALE_AFTER_MS ? 'stale' : this.outcome(envelope);
    if (outcome === 'stale' || outcome === 'rate-limited' || outcome === 'shutting-down') {
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
    send(peer, { type: 'history', requestId, messages: window, hasMore });
  }
}

function send(peer: Peer, frame: ServerFrame): void {
  if (peer.socket.readyState === WebSocket.OPEN) peer.socket.send(encodeServerFrame(frame));
}

function fail(peer: Peer, code: ErrorCode, message: string, id?: Buffer): void {
  send(peer, { type: 'error', code, message, id });
}
