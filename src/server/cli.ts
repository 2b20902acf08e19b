// Command line of dist/server.js. The password is deliberately not a flag: argv is visible to every
// user of the machine (ps), so it comes from the environment, a no-echo prompt or the IPC channel.
// Every limit of config.ts has a flag, and may also come from a JSON file named by --config
// (flags win over the file); both are checked by resolveLimits.
import * as fs from 'fs';
import { parseArgs as parseArgv } from 'util';
import { ROOM_NAME_RULE, roomNameProblem } from '../protocol/roomName';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_LIMITS, DEFAULT_PORT, LIMIT_DESCRIPTIONS, Limits, resolveLimits } from './config';

export const PASSWORD_ENV = 'SECURE_CHAT_PASSWORD';
/** The new password of --change-password, read like the current one. */
export const NEW_PASSWORD_ENV = 'SECURE_CHAT_NEW_PASSWORD';
/** The operator's secret that unlocks the named rooms (docs/SECURITY.md, rooms). */
export const SERVER_SECRET_ENV = 'SECURE_CHAT_SERVER_SECRET';
/** The password of a room `rooms create` makes; without it, a prompt (twice) or stdin's first line. */
export const ROOM_PASSWORD_ENV = 'SECURE_CHAT_ROOM_PASSWORD';

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

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** `framesPerSecond` → `frames-per-second`. */
export function limitFlag(name: keyof Limits): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

const LIMIT_HELP = LIMIT_NAMES.map((name) => {
  const flag = `  --${limitFlag(name)} <n>`;
  return `${flag.padEnd(40)}${LIMIT_DESCRIPTIONS[name].text} (default ${DEFAULT_LIMITS[name]})`;
}).join('\n');

export const HELP = `Usage: node dist/server.js [options]
       node dist/server.js rooms create <name> [--data <dir>]
       node dist/server.js rooms list [--data <dir>]

Runs the Secure Chat server. The first start with an empty data directory
creates its default room (ws://host:port/); later starts must use the same
password. Named rooms (ws://host:port/<name>, a name of ${ROOM_NAME_RULE})
each have their own password, keys and history; the operator creates them with
"rooms create", and the server opens them with the server secret given at start.

Options:
  --host <address>   interface to listen on (default ${DEFAULT_HOST})
  --port <number>    TCP port, 0 for any free port (default ${DEFAULT_PORT})
  --data <dir>       data directory: room, segments and journal (default ${DEFAULT_DATA_DIR})
  --config <file>    JSON object of limits by name, e.g. {"framesPerSecond": 10};
                     a flag below overrides the file's value
  --cluster <url>    serve the room as one node of a cluster: redis://host:port of
                     the Redis that every node of the room uses (messages, replay
                     check, presence); each node has its own --data with a copy of
                     the same room.json. Without it the server keeps everything itself
  --rotate           do not serve: start a new room key epoch in the data directory
                     of a stopped server, then exit (a running server rotates by itself)
  --change-password  do not serve: change the room password of a stopped server's
                     data directory, then exit; the new password comes from
                     ${NEW_PASSWORD_ENV}, else a prompt (asked twice)
  --help             print this help and exit

Rooms:
  rooms create <name>  make a named room in --data (the server may be running);
                       its password comes from ${ROOM_PASSWORD_ENV}, else a
                       prompt (asked twice), else the first line of stdin
  rooms list           print the named rooms of --data, one a line

Limits (whole numbers unless a fraction makes sense; all positive):
${LIMIT_HELP}

Password: from the environment variable ${PASSWORD_ENV} (removed from the
environment once read), otherwise asked for on the terminal without echo. It
is never accepted as an argument. When the extension starts the server (Node
IPC channel), the password and the options arrive over that channel instead
and the flags are ignored.

Server secret: from ${SERVER_SECRET_ENV} (removed from the environment once
read), otherwise asked for on a terminal when the data directory has named
rooms (and always by "rooms create"). The first one given is the server's from
then on (server.json); a start with another is refused. Started without it, the
server serves its default room only.

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
  /** redis:// address of the cluster's Redis, or null to serve alone. */
  readonly cluster: string | null;
  /** Only what the operator set; the server fills in the rest. */
  readonly limits: Partial<Limits>;
  readonly help: boolean;
  /** Not serving: a key change of the data directory, then exit. */
  readonly keyChange: 'rotate' | 'change-password' | null;
  /** Not serving: `rooms create <name>` or `rooms list`, then exit. */
  readonly rooms: RoomsCommand | null;
}

export type RoomsCommand = { readonly action: 'create'; readonly name: string } | { readonly action: 'list' };

function roomsCommand(positionals: readonly string[]): RoomsCommand | null {
  if (positionals.length === 0) return null;
  const [command, action, name, ...rest] = positionals;
  const usage = 'usage: rooms create <name> | rooms list';
  if (command !== 'rooms') throw new UsageError(`unexpected argument ${JSON.stringify(command)}; ${usage}`);
  if (action === 'list' && name === undefined) return { action: 'list' };
  if (action !== 'create' || name === undefined || rest.length > 0) throw new UsageError(usage);
  const problem = roomNameProblem(name);
  if (problem) throw new UsageError(problem);
  return { action: 'create', name };
}

export class UsageError extends Error {}

function number(text: string, what: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${what} must be a number, got ${text}`);
  return value;
}

function readConfigFile(file: string): Partial<Limits> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--config ${file}: must hold a JSON object of limits`);
  const limits: Partial<Record<keyof Limits, number>> = {};
  for (const [name, limit] of Object.entries(value)) {
    if (!LIMIT_NAMES.includes(name as keyof Limits)) throw new UsageError(`--config ${file}: unknown limit ${name} (known: ${LIMIT_NAMES.join(', ')})`);
    if (typeof limit !== 'number') throw new UsageError(`--config ${file}: ${name} must be a number`);
    limits[name as keyof Limits] = limit;
  }
  return limits;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgv({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        host: { type: 'string', default: DEFAULT_HOST },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        data: { type: 'string', default: DEFAULT_DATA_DIR },
        config: { type: 'string' },
        cluster: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        rotate: { type: 'boolean', default: false },
        'change-password': { type: 'boolean', default: false },
        ...Object.fromEntries(LIMIT_NAMES.map((name) => [limitFlag(name), { type: 'string' as const }])),
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const port = number(values.port as string, '--port');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${String(values.port)}`);
  const limits: Partial<Record<keyof Limits, number>> = values.config === undefined ? {} : readConfigFile(values.config as string);
  for (const name of LIMIT_NAMES) {
    const text = values[limitFlag(name)];
    if (typeof text === 'string') limits[name] = number(text, `--${limitFlag(name)}`);
  }
  try {
    resolveLimits(limits);
  } catch (error) {
    const message = (error as Error).message.replace(/\blimit (\w+)/g, (_match, name: keyof Limits) => `--${limitFlag(name)}`);
    throw new UsageError(message);
  }
  const cluster = typeof values.cluster === 'string' ? values.cluster : null;
  if (cluster !== null && !/^rediss?:\/\/[^/\s]+/.test(cluster)) throw new UsageError('--cluster must be a redis:// or rediss:// address, e.g. redis://10.0.0.5:6379');
  if (values.rotate && values['change-password']) throw new UsageError('--rotate and --change-password cannot be combined (a password change starts a new epoch too)');
  const keyChange = values.rotate ? 'rotate' : values['change-password'] ? 'change-password' : null;
  const rooms = roomsCommand(parsed.positionals);
  if (rooms !== null && keyChange !== null) throw new UsageError('rooms cannot be combined with --rotate or --change-password');
  return { host: values.host as string, port, dataDir: values.data as string, cluster, limits, help: values.help as boolean, keyChange, rooms };
}
