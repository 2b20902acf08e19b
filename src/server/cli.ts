// Command line of dist/server.js. The password is deliberately not a flag: argv is visible to every
// user of the machine (ps), so it comes from the environment, a no-echo prompt or the IPC channel.
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from './config';

export const PASSWORD_ENV = 'SECURE_CHAT_PASSWORD';

/** Process exit statuses, documented in --help and docs/PROTOCOL.md. */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  wrongPassword: 3,
  storeCorrupt: 4,
  listenFailed: 5,
  dataDirLocked: 6,
} as const;

export const HELP = `Usage: node dist/server.js [options]

Runs the Secure Chat server for one room. The first start with an empty data
directory creates the room; later starts must use the same password.

Options:
  --host <address>   interface to listen on (default ${DEFAULT_HOST})
  --port <number>    TCP port, 0 for any free port (default ${DEFAULT_PORT})
  --data <dir>       data directory: room, snapshot and journal (default ${DEFAULT_DATA_DIR})
  --help             print this help and exit

Password: from the environment variable ${PASSWORD_ENV}, otherwise asked for
on the terminal without echo. It is never accepted as an argument. When the
extension starts the server (Node IPC channel), the password and the options
arrive over that channel instead and the flags are ignored.

On start one line with the ws:// address is printed to stdout; logs go to
stderr, one line per event. SIGINT/SIGTERM stop gracefully.

Exit status:
  0  stopped normally
  1  internal error (for example the journal could not be written)
  2  usage error: unknown flag, bad value, no password available
  3  wrong password for the room in the data directory
  4  store damaged: start refused (the message names the files)
  5  cannot listen (port in use, bad address)
  6  data directory in use by another running server
`;

export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliOptions {
  let host = DEFAULT_HOST;
  let port = DEFAULT_PORT;
  let dataDir = DEFAULT_DATA_DIR;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      help = true;
      continue;
    }
    const value = argv[i + 1];
    if (!['--host', '--port', '--data'].includes(flag)) throw new UsageError(`unknown option ${flag}`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    i += 1;
    if (flag === '--host') host = value;
    else if (flag === '--data') dataDir = value;
    else {
      port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${value}`);
    }
  }
  return { host, port, dataDir, help };
}
