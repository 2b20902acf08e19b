// Entry point of dist/server.js: standalone from a shell, or forked by the extension with an IPC
// channel (src/protocol/serverIpc.ts), in which case the password and options arrive over IPC.
import { ParentToServer, ServerIpcErrorCode, ServerToParent, parseParentMessage } from '../protocol/serverIpc';
import { EXIT_CODES, HELP, UsageError, parseArgs } from './cli';
import { StartError } from './errors';
import { stderrLogger } from './logger';
import { readPassword } from './password';
import { RunningServer, startChatServer } from './server';

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

/** Wires the stop triggers (signals, IPC stop, parent gone) to one graceful close. */
function runUntilStopped(server: RunningServer): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.on('message', (value: unknown) => {
    const message = parseParentMessage(value);
    if (message.ok && message.value.type === 'stop') stop();
  });
  void server.stopped.then(async (fatal) => {
    await sendToParent({ type: 'stopped' });
    return exit(fatal ? EXIT_CODES.internal : EXIT_CODES.ok);
  });
}

async function start(options: { password: string; host: string; port: number; dataDir: string }): Promise<void> {
  const server = await startChatServer(options);
  process.stdout.write(`${server.address}\n`);
  await sendToParent({ type: 'listening', address: server.address, roomId: server.roomId });
  runUntilStopped(server);
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
  if (process.send) {
    await start(await waitForStartMessage());
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  await start({ ...options, password: await readPassword() });
}

main().catch(fail);
