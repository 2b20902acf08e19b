// Reads the room password for the standalone server: the environment, else a no-echo prompt on a
// terminal. Nothing here ever prints or logs the password.
import { NEW_PASSWORD_ENV, PASSWORD_ENV, UsageError } from './cli';

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
export async function readNewPassword(): Promise<string> {
  const fromEnv = process.env[NEW_PASSWORD_ENV];
  const first = await readPassword(NEW_PASSWORD_ENV, 'New room password: ');
  if (fromEnv) return first;
  if ((await promptNoEcho('New room password again: ')) !== first) throw new UsageError('the two new passwords differ; nothing was changed');
  return first;
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
