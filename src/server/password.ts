// Reads the room password for the standalone server: the environment, else a no-echo prompt on a
// terminal. Nothing here ever prints or logs the password.
import { NEW_PASSWORD_ENV, PASSWORD_ENV, ROOM_PASSWORD_ENV, SERVER_SECRET_ENV, UsageError } from './cli';

export function readPassword(variable = PASSWORD_ENV, prompt = 'Room password: '): Promise<string> {
  const fromEnv = process.env[variable];
  // Gone from this process's environment: no child process inherits it, no later code reads it.
  delete process.env[variable];
  if (fromEnv) return Promise.resolve(fromEnv);
  if (!process.stdin.isTTY) {
    return Promise.reject(new UsageError(`no password: set ${variable} or run on a terminal to be asked`));
  }
  return promptNoEcho(prompt);
}

/** The new password of --change-password: its variable, else typed twice. */
export function readNewPassword(): Promise<string> {
  return readChosenPassword(NEW_PASSWORD_ENV, 'New room password');
}

/**
 * A password being chosen: its variable, else typed twice on a terminal, else the first line of
 * stdin (a script pipes it in: `printf '%s\n' "$PW" | node dist/server.js rooms create team`).
 */
export async function readChosenPassword(variable: string, what: string): Promise<string> {
  const fromEnv = process.env[variable];
  delete process.env[variable];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return readStdinLine();
  const first = await promptNoEcho(`${what}: `);
  if ((await promptNoEcho(`${what} again: `)) !== first) throw new UsageError(`the two entries of the ${what.toLowerCase()} differ; nothing was changed`);
  return first;
}

/** The password of the room `rooms create` makes. */
export function readRoomPassword(): Promise<string> {
  return readChosenPassword(ROOM_PASSWORD_ENV, 'New room password');
}

/**
 * The server secret: its variable, else a prompt when `ask` (a terminal, and something to unlock);
 * undefined otherwise, and the server serves its default room only.
 */
export function readServerSecret(ask: boolean): Promise<string | undefined> {
  const fromEnv = process.env[SERVER_SECRET_ENV];
  if (fromEnv || (ask && process.stdin.isTTY)) return readPassword(SERVER_SECRET_ENV, 'Server secret: ');
  delete process.env[SERVER_SECRET_ENV];
  return Promise.resolve(undefined);
}

/** The first line of stdin (without its line break); an empty one is refused. */
function readStdinLine(): Promise<string> {
  const stdin = process.stdin;
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let read = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.pause();
      const line = read.split(/\r?\n/)[0];
      if (line) resolve(line);
      else reject(new UsageError('no password: stdin gave an empty first line'));
    };
    const onData = (chunk: string) => {
      read += chunk;
      if (read.includes('\n')) finish();
    };
    stdin.on('data', onData);
    stdin.once('end', finish);
  });
}

/** Raw mode keeps the terminal from echoing; the prompt goes to stderr because stdout is for the address. */
function promptNoEcho(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(typed ? null : new UsageError('empty password'));
        if (char === '\u0003' || char === '\u0004') return finish(new UsageError('password prompt cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
