// One WebSocket connection to the server, speaking wire frames. The handshake pulls frames one at a
// time (nextFrame); once it is done the client subscribes (listen) and frames are pushed. A ping
// every timeoutMs notices a dead link (laptop asleep, cable out) that TCP alone would not report
// for many minutes.
import WebSocket from 'ws';
import type { Checked } from '../protocol/check';
import { CLOSE_CODES, ClientFrame, MAX_FRAME_BYTES, ServerFrame, encodeClientFrame, parseServerFrame } from '../protocol/wire';
import type { Clock } from './clock';
import { UNKNOWN_ROOM_MESSAGE } from './errors';

export interface ConnectionOptions {
  readonly clock: Clock;
  /** How long to wait for the WebSocket upgrade, a handshake frame or a pong. */
  readonly timeoutMs: number;
  readonly webSocket?: WebSocket.ClientOptions;
}

export interface CloseInfo {
  readonly code: number;
  /**
   * Human-readable, in this client's own words: what the code means, or the local network error. The
   * server's close reason is never used: a server that does not know the password (a port squatter, a
   * machine in the middle of ws://) chooses it, and it would reach the user's notifications.
   */
  readonly reason: string;
}

export class ConnectionClosed extends Error {
  constructor(readonly info: CloseInfo) {
    super(info.reason);
    this.name = 'ConnectionClosed';
  }
}

type Received = Checked<ServerFrame>;

/** RFC 6455 "abnormal closure": the code ws reports when a link dies without a close frame. */
const ABNORMAL_CLOSURE = 1006;

const CLOSE_REASONS: Readonly<Record<number, string>> = {
  [CLOSE_CODES.goingAway]: 'the server is shutting down',
  [CLOSE_CODES.authFailed]: 'the server rejected the room password',
  [CLOSE_CODES.handshakeTimeout]: 'the server timed out the handshake',
  [CLOSE_CODES.backoff]: 'the server asked the client to back off',
  [CLOSE_CODES.protocolViolation]: 'the server reported a protocol violation',
  [CLOSE_CODES.slowConsumer]: 'the server dropped the connection because it was reading too slowly',
  [CLOSE_CODES.serverFull]: 'the server is full',
  [CLOSE_CODES.upgradeRequired]: 'this Secure Chat extension is older than the server: upgrade the extension',
  [CLOSE_CODES.passwordChanged]: 'the room password was changed: enter the new password',
  [CLOSE_CODES.unknownRoom]: UNKNOWN_ROOM_MESSAGE,
};

/** Our words for a close code; for one we do not know, the local error (ECONNREFUSED...) or the bare code. */
function closeReason(code: number, localError: string | undefined): string {
  return CLOSE_REASONS[code] ?? localError ?? `connection closed (code ${code})`;
}

export class Connection {
  /** Settles when the WebSocket is open, or rejects with ConnectionClosed. */
  readonly opened: Promise<void>;
  private readonly socket: WebSocket;
  private readonly inbox: Received[] = [];
  private reader: { resolve: (item: Received) => void; reject: (error: Error) => void; cancelTimer: () => void } | undefined;
  private listener: ((item: Received) => void) | undefined;
  private closeListener: ((info: CloseInfo) => void) | undefined;
  private closeInfo: CloseInfo | undefined;
  private lastError: string | undefined;
  private cancelKeepalive: (() => void) | undefined;
  private rejectOpened: ((error: Error) => void) | undefined;

  constructor(url: URL, private readonly options: ConnectionOptions) {
    // Compression buys nothing on ciphertext; maxPayload always follows the protocol's limit.
    this.socket = new WebSocket(url, { handshakeTimeout: options.timeoutMs, perMessageDeflate: false, ...options.webSocket, maxPayload: MAX_FRAME_BYTES });
    this.opened = new Promise<void>((resolve, reject) => {
      this.rejectOpened = reject;
      this.socket.once('open', () => {
        this.rejectOpened = undefined;
        this.startKeepalive();
        resolve();
      });
    });
    // The handshake awaits opened; this only keeps an unobserved rejection from being reported.
    this.opened.catch(() => undefined);
    this.socket.on('message', (data, isBinary) => {
      this.deliver(!isBinary && Buffer.isBuffer(data) ? parseServerFrame(data.toString('utf8')) : { ok: false, error: 'frame is not a text message' });
    });
    this.socket.on('error', (error) => {
      this.lastError = error.message;
    });
    this.socket.on('close', (code) => {
      this.finish({ code, reason: closeReason(code, this.lastError) });
    });
  }

  /** The next frame of the handshake; rejects with ConnectionClosed on close or timeout. */
  nextFrame(): Promise<Received> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closeInfo) return Promise.reject(new ConnectionClosed(this.closeInfo));
    return new Promise((resolve, reject) => {
      const cancelTimer = this.options.clock.setTimer(this.options.timeoutMs, () => this.abort('the server did not answer in time'));
      this.reader = { resolve, reject, cancelTimer };
    });
  }

  /** From now on every frame goes to listener, starting with any that arrived in between. */
  listen(listener: (item: Received) => void): void {
    this.listener = listener;
    for (const item of this.inbox.splice(0)) listener(item);
  }

  /** Called once, when the connection ends for any reason other than close() from this side. */
  onClose(listener: (info: CloseInfo) => void): void {
    this.closeListener = listener;
  }

  /** Frames for a connection that is not open are dropped: the caller resends after reconnecting. */
  send(frame: ClientFrame): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(encodeClientFrame(frame));
  }

  /** Ends the connection from this side; nothing is delivered after this, not even onClose. */
  close(reason: string): void {
    this.closeListener = undefined;
    this.finish({ code: 1000, reason });
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000, reason);
    else this.socket.terminate();
  }

  private abort(reason: string): void {
    this.finish({ code: ABNORMAL_CLOSURE, reason });
    this.socket.terminate();
  }

  private deliver(item: Received): void {
    if (this.closeInfo) return;
    if (this.listener) {
      this.listener(item);
    } else if (this.reader) {
      const { resolve, cancelTimer } = this.reader;
      this.reader = undefined;
      cancelTimer();
      resolve(item);
    } else {
      this.inbox.push(item);
    }
  }

  private finish(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    this.cancelKeepalive?.();
    const error = new ConnectionClosed(info);
    this.rejectOpened?.(error);
    if (this.reader) {
      this.reader.cancelTimer();
      this.reader.reject(error);
      this.reader = undefined;
    }
    this.closeListener?.(info);
  }

  private startKeepalive(): void {
    let answered = true;
    this.socket.on('pong', () => {
      answered = true;
    });
    const tick = (): void => {
      if (!answered) {
        this.abort('the server stopped answering');
        return;
      }
      answered = false;
      this.socket.ping();
      this.cancelKeepalive = this.options.clock.setTimer(this.options.timeoutMs, tick);
    };
    this.cancelKeepalive = this.options.clock.setTimer(this.options.timeoutMs, tick);
  }
}
