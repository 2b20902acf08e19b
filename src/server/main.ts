// Entry point of dist/server.js: standalone from a shell, or forked by the extension with an IPC
// channel (src/protocol/serverIpc.ts), in which case the password and options arrive over IPC.
import { ParentToServer, ServerIpcErrorCode, ServerToParent, parseParentMessage } from '../protocol/serverIpc';
import { EXIT_CODES, HELP, UsageError, parseArgs } from './cli';
import { StartError } from './errors';
import { stderrLogger } from './logger';
import { changeKeysOffline } from './keyChange';
import { listNamedRooms } from './namedRooms';
import { readNewPassword, readPassword, readServerSecret } from './password';
import { runRoomsCommand } from './roomsCommand';
import { ChatServerOptions, RunningServer, startChatServer } from './server';

const EXIT_FOR: Record<ServerIpcErrorCode, number> = {
  'bad-request': EXIT_CODES.usage,
  'port-in-use': EXIT_CODES.listenFailed,
  'listen-failed': EXIT_CODES.listenFailed,
  'wrong-password': EXIT_CODES.wrongPassword,
  'store-corrupt': EXIT_CODES.storeCorrupt,
  'data-dir-locked': EXIT_CODES.dataDirLocked,
  internal: EXIT_CODES.internal,
};

function toStartError(error: unknown): StartError {
  if (error instanceof StartError) return error;
  if (error instanceof UsageError) return new StartError('bad-request', error.message);
  return new StartError('internal', error instanceof Error ? error.message : String(error));
}

/** Sends to the parent when there is one; resolves once the message is handed over. */
function sendToParent(message: ServerToParent): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => send(message, undefined, {}, () => resolve()));
}

async function exit(code: number): Promise<never> {
  if (process.connected) process.disconnect();
  process.exit(code);
}

async function fail(error: unknown): Promise<never> {
  const startError = toStartError(error);
  stderrLogger.log('error', 'start-failed', { code: startError.code, error: startError.message });
  await sendToParent({ type: 'error', code: startError.code, message: startError.message });
  return exit(EXIT_FOR[startError.code]);
}

/**
 * The stop triggers (signals, IPC stop, parent gone), wired before anything starts: a SIGTERM that
 * arrives as the address is printed must stop the server gracefully, not kill it by the default
 * action and leave its journal and lock behind. A stop while the server is starting waits for it;
 * a stop before that (at the password prompt, before the IPC "start") just exits.
 */
class Lifecycle {
  private server: RunningServer | null = null;
  private starting = false;
  private stopRequested = false;

  constructor() {
    const stop = () => this.stop();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('disconnect', stop);
    process.on('message', (value: unknown) => {
      const message = parseParentMessage(value);
      if (!message.ok) return;
      if (message.value.type === 'stop') stop();
      if (message.value.type === 'rotate' || message.value.type === 'change-password') void this.changeKeys(message.value);
      if (message.value.type === 'create-room') void this.createRoom(message.value);
    });
  }

  /** A named room asked for over IPC; the answer names it, with why it failed if it did. */
  private async createRoom(request: Extract<ParentToServer, { type: 'create-room' }>): Promise<void> {
    const { name } = request;
    try {
      if (!this.server || this.stopRequested) throw new Error('the server is not running');
      await this.server.createRoom(name, request.password);
      await sendToParent({ type: 'room-created', name });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      stderrLogger.log('error', 'room-create-failed', { name, error: message });
      await sendToParent({ type: 'room-failed', name, message });
    }
  }

  /** A rotation or password change asked for over IPC; the answer says which epoch it started, or why it failed. */
  private async changeKeys(request: Extract<ParentToServer, { type: 'rotate' | 'change-password' }>): Promise<void> {
    const change = request.type;
    try {
      if (!this.server || this.stopRequested) throw new Error('the server is not running');
      const started = request.type === 'rotate' ? await this.server.rotate() : await this.server.changePassword(request.password);
      await sendToParent({ type: 'epoch-started', change, epoch: started.epoch.number });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      stderrLogger.log('error', 'key-change-failed', { change, error: message });
      await sendToParent({ type: 'epoch-failed', change, message });
    }
  }

  async start(options: ChatServerOptions & { host: string; port: number }): Promise<void> {
    this.starting = true;
    const server = await startChatServer(options);
    this.server = server;
    void server.stopped.then(async (fatal) => {
      await sendToParent({ type: 'stopped' });
      return exit(fatal ? EXIT_CODES.internal : EXIT_CODES.ok);
    });
    if (this.stopRequested) return server.close();
    process.stdout.write(`${server.address}\n`);
    await sendToParent({ type: 'listening', address: server.address, roomId: server.roomId });
  }

  private stop(): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    if (this.server) void this.server.close();
    else if (!this.starting) void exit(EXIT_CODES.ok);
  }
}

function waitForStartMessage(): Promise<Extract<ParentToServer, { type: 'start' }>> {
  return new Promise((resolve, reject) => {
    process.once('message', (value: unknown) => {
      const message = parseParentMessage(value);
      if (message.ok && message.value.type === 'start') resolve(message.value);
      else reject(new UsageError(`the first IPC message must be a valid "start" (${message.ok ? 'it was not "start"' : message.error})`));
    });
    process.once('disconnect', () => reject(new UsageError('the parent closed the IPC channel before "start"')));
  });
}

async function main(): Promise<void> {
  const lifecycle = new Lifecycle();
  if (process.send) {
    await lifecycle.start(await waitForStartMessage());
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  if (options.rooms !== null) {
    await runRoomsCommand(options.rooms, options.dataDir, (line) => process.stdout.write(`${line}\n`));
    return exit(EXIT_CODES.ok);
  }
  if (options.keyChange !== null) {
    const password = await readPassword();
    const newPassword = options.keyChange === 'change-password' ? await readNewPassword() : undefined;
    const change = await changeKeysOffline({ dataDir: options.dataDir, password, newPassword, logger: stderrLogger });
    process.stdout.write(`epoch ${change.epoch.number}\n`);
    return exit(EXIT_CODES.ok);
  }
  const password = await readPassword();
  // Asked for on a terminal only when there are named rooms to unlock (and a cluster serves none).
  const serverSecret = await readServerSecret(options.cluster === null && listNamedRooms(options.dataDir).length > 0);
  await lifecycle.start({
    host: options.host, port: options.port, dataDir: options.dataDir, limits: options.limits, cluster: options.cluster ?? undefined, password, serverSecret,
  });
}

main().catch(fail);
