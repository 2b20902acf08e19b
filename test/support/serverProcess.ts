// Runs the built server (dist/server.js, from `npm run build`) as a child process, the way a user or
// the extension does, and reads its single start line.
import { ChildProcess, fork, spawn } from 'child_process';
import * as path from 'path';
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
