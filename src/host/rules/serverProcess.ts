// Runs the chat server (dist/server.js) as a child of the extension host. The password goes over the
// IPC channel only (src/protocol/serverIpc.ts), never argv or the environment; the child's stderr
// (one log line per event, no secrets) is forwarded to the caller's logger. Free of the vscode API
// so plain-Node tests can drive it against the real bundle.
import { ChildProcess, fork } from 'child_process';
import * as readline from 'readline';
import type { Logger } from '../../client';
import { parseLogLine } from '../../protocol/log';
import { KeyChange, ParentToServer, ServerIpcErrorCode, parseServerMessage } from '../../protocol/serverIpc';

/** Why a start failed: the child's own error code, or what the parent saw happen to the child. */
export type ServerProcessErrorCode = ServerIpcErrorCode | 'exited' | 'timeout';

export class ServerProcessError extends Error {
  constructor(
    readonly code: ServerProcessErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerProcessError';
  }
}

export interface ServerStartOptions {
  /** Path of dist/server.js. */
  readonly script: string;
  readonly password: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  /** Unlocks the named rooms (createRoom); without it the server serves its default room only. */
  readonly serverSecret?: string;
  readonly logger: Logger;
  /** Opening an existing room derives its keys (~150 ms), creating one more; this bounds the whole start. */
  readonly startTimeoutMs?: number;
}

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when stop() asked for it; false when the child died on its own. */
  readonly requested: boolean;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
/** The server flushes its store and closes sockets (1 s grace) before it says `stopped`. */
const DEFAULT_STOP_TIMEOUT_MS = 5_000;

export class EmbeddedServer {
  /** ws://host:port as the server reports it (the bound interface, e.g. 0.0.0.0). */
  readonly address: string;
  readonly port: number;
  /** Room id, hex. */
  readonly roomId: string;
  readonly pid: number;
  /** Settles when the child has exited, for whatever reason. */
  readonly exited: Promise<ServerExit>;
  private stopRequested = false;
  private stopping: Promise<void> | undefined;
  /** Key changes sent and not yet answered, oldest first: the server answers them in order. */
  private readonly keyChanges: { readonly resolve: (epoch: number) => void; readonly reject: (error: Error) => void }[] = [];
  /** Room creations sent and not yet answered, oldest first: the server answers them in order. */
  private readonly roomCreations: { readonly resolve: () => void; readonly reject: (error: Error) => void }[] = [];

  private constructor(private readonly child: ChildProcess, listening: { address: string; roomId: string }, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>) {
    this.address = listening.address;
    this.port = Number(new URL(listening.address).port);
    this.roomId = listening.roomId;
    this.pid = child.pid ?? -1;
    this.exited = exited.then((exit) => ({ ...exit, requested: this.stopRequested }));
    child.on('message', (value: unknown) => {
      const checked = parseServerMessage(value);
      if (!checked.ok) return;
      const message = checked.value;
      if (message.type === 'epoch-started') this.keyChanges.shift()?.resolve(message.epoch);
      if (message.type === 'epoch-failed') this.keyChanges.shift()?.reject(new ServerProcessError('internal', message.message));
      if (message.type === 'room-created') this.roomCreations.shift()?.resolve();
      if (message.type === 'room-failed') this.roomCreations.shift()?.reject(new ServerProcessError('bad-request', message.message));
    });
    void this.exited.then(() => {
      for (const pending of [...this.keyChanges.splice(0), ...this.roomCreations.splice(0)]) {
        pending.reject(new ServerProcessError('exited', 'the server stopped before it answered'));
      }
    });
  }

  /** Starts a new random room key epoch; members online move to it without reconnecting. Resolves with its number. */
  rotate(): Promise<number> {
    return this.changeKeys({ type: 'rotate' });
  }

  /**
   * Changes the room password: the old one stops working at once and every member is disconnected
   * (they reconnect with the new one and keep all history). Resolves with the new epoch's number.
   */
  changePassword(password: string): Promise<number> {
    return this.changeKeys({ type: 'change-password', password });
  }

  /** Creates the named room `name` with its own password, served at <address>/<name> from then on. */
  createRoom(name: string, password: string): Promise<void> {
    return this.request(this.roomCreations, { type: 'create-room', name, password });
  }

  private changeKeys(message: Extract<ParentToServer, { type: KeyChange }>): Promise<number> {
    return this.request(this.keyChanges, message);
  }

  /** Sends one request whose answer comes in order with the others of its `queue`. */
  private request<T>(queue: { readonly resolve: (value: T) => void; readonly reject: (error: Error) => void }[], message: ParentToServer): Promise<T> {
    if (!this.child.connected || this.stopRequested) return Promise.reject(new ServerProcessError('exited', 'the server is not running'));
    return new Promise((resolve, reject) => {
      queue.push({ resolve, reject });
      send(this.child, message);
    });
  }

  /** Forks the server and resolves once it listens; rejects with a ServerProcessError otherwise. */
  static async start(options: ServerStartOptions): Promise<EmbeddedServer> {
    const child = fork(options.script, [], {
      // The extension host's own runtime. Under Electron (desktop VS Code) that binary is Electron,
      // which behaves as plain Node only with ELECTRON_RUN_AS_NODE; Node ignores the variable.
      execPath: process.execPath,
      // The host's own flags (inspector ports and the like) must not leak into the server.
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    forwardLog(child, options.logger);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    try {
      const listening = await waitForListening(child, exited, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, () =>
        send(child, { type: 'start', password: options.password, host: options.host, port: options.port, dataDir: options.dataDir, serverSecret: options.serverSecret }),
      );
      return new EmbeddedServer(child, listening, exited);
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      throw error;
    }
  }

  /**
   * Asks the server to stop (it flushes its store and closes every socket first) and waits for the
   * child to exit; kills it when it does not within timeoutMs. Safe to call more than once.
   */
  stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    this.stopping ??= (async () => {
      this.stopRequested = true;
      if (this.child.connected) send(this.child, { type: 'stop' });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
      const outcome = await Promise.race([this.exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    })();
    return this.stopping;
  }
}

function send(child: ChildProcess, message: ParentToServer): void {
  // A child that is already gone cannot take it; its exit is what the caller waits on either way, so
  // the callback only keeps a failed send from surfacing as an unhandled 'error' event.
  child.send(message, () => undefined);
}

function waitForListening(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  sendStart: () => void,
): Promise<{ address: string; roomId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ServerProcessError('timeout', `the server did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const settle = () => clearTimeout(timer);
    child.on('message', (value: unknown) => {
      const checked = parseServerMessage(value);
      if (!checked.ok) return;
      const message = checked.value;
      if (message.type === 'listening') {
        settle();
        resolve(message);
      } else if (message.type === 'error') {
        settle();
        reject(new ServerProcessError(message.code, message.message));
      }
    });
    void exited.then(({ code, signal }) => {
      settle();
      reject(new ServerProcessError('exited', `the server process exited during start (${signal ?? `exit code ${code}`})`));
    });
    sendStart();
  });
}

/** Server lines are already `event key=value...` (the logger adds its own time); anything else is quoted as one field. */
function forwardLog(child: ChildProcess, logger: Logger): void {
  if (!child.stderr) return;
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    const parsed = parseLogLine(line);
    if (parsed) logger.log(parsed.level, `server: ${parsed.text}`);
    else logger.log('info', 'server-output', { line });
  });
}
