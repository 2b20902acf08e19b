// Runs the built server (dist/server.js, from `npm run build`) as a child process, the way a user or
// the extension does, and reads its single start line.
import { ChildProcess, fork, spawn } from 'child_process';
import * as path from 'path';
import { ServerToParent, parseServerMessage } from '../../src/protocol/serverIpc';
import { NEW_PASSWORD_ENV, PASSWORD_ENV } from '../../src/server/cli';
import { within } from './rawClient';

export const SERVER_JS = path.resolve(__dirname, '../../../dist/server.js');

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function watch(child: ChildProcess): ServerProcess {
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, output, exited };
}

/** Standalone: flags in argv, the password (and the new one of --change-password) in the environment. */
export function spawnServer(args: readonly string[], password?: string, newPassword?: string): ServerProcess {
  const env = { ...process.env };
  delete env[PASSWORD_ENV];
  delete env[NEW_PASSWORD_ENV];
  if (password !== undefined) env[PASSWORD_ENV] = password;
  if (newPassword !== undefined) env[NEW_PASSWORD_ENV] = newPassword;
  return watch(spawn(process.execPath, [SERVER_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Standalone with the given variables set (and no other password variable), and `stdin` piped in when given. */
export function spawnServerWith(args: readonly string[], variables: Readonly<Record<string, string>>, stdin?: string): ServerProcess {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('SECURE_CHAT_')) delete env[name];
  Object.assign(env, variables);
  const child = spawn(process.execPath, [SERVER_JS, ...args], { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (stdin !== undefined) child.stdin!.end(stdin);
  return watch(child);
}

/** As the extension runs it: forked with an IPC channel. */
export function forkServer(): ServerProcess {
  return watch(fork(SERVER_JS, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
}

/** The ws:// address from the first stdout line; rejects if the process exits first. */
export function startLine(server: ServerProcess, ms = 10_000): Promise<string> {
  const line = new Promise<string>((resolve, reject) => {
    const check = () => {
      const end = server.output.stdout.indexOf('\n');
      if (end >= 0) resolve(server.output.stdout.slice(0, end));
    };
    server.child.stdout!.on('data', check);
    check();
    void server.exited.then(({ code }) => reject(new Error(`server exited (${code}) before its start line: ${server.output.stderr}`)));
  });
  return within(line, ms, 'the server start line');
}

/** The next IPC message from a forked server, checked by the parent's parser. */
export function nextIpc(server: ServerProcess, ms = 10_000): Promise<ServerToParent> {
  return within(new Promise((resolve, reject) => {
    server.child.once('message', (value) => {
      const message = parseServerMessage(value);
      if (message.ok) resolve(message.value);
      else reject(new Error(`invalid IPC message ${JSON.stringify(value)}: ${message.error}`));
    });
  }), ms, 'an IPC message from the server');
}
