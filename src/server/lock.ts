// One server per data directory: two writers appending to the same journal corrupt it, and one's
// final snapshot deletes the other's acknowledged messages.
//
// `server.lock` names its owner as JSON {pid, started, boot, nonce}: `started` is the process's
// start time (Linux: field 22 of /proc/<pid>/stat) and `boot` the kernel's boot id, so a lock whose
// pid now belongs to another process (pid reuse, a reboot) is recognised as stale. Where /proc does
// not exist (macOS, Windows) only the pid is checked; a recycled pid then holds a start off until
// the lock file, which the error names, is removed by hand.
//
// Taking: the complete content goes to a private file first, which is then hard-linked to the lock
// name. link() fails when the name exists, so the lock appears atomically and complete: nobody ever
// reads a half-written lock and takes it for stale. Breaking a stale lock takes a second lock the
// same way, named after the stale lock's content; only its holder may unlink that stale lock. So two
// starters that both saw it stale cannot each remove the other's fresh lock (the race that let two
// servers run on one directory), and a breaker that crashed is itself broken one level down.
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from './errors';

export const LOCK_FILE = 'server.lock';
/** Locks on locks: each level is needed only after a crash in the microseconds of breaking the one above. */
const MAX_BREAK_DEPTH = 3;
/** Link, read, break: a start that keeps losing to others' breaking gives up and reports the lock. */
const MAX_ATTEMPTS = 8;

interface Owner {
  readonly pid: number;
  readonly started: string | null;
  readonly boot: string | null;
}

function readProc(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Start time in clock ticks since boot; the command name (field 2) may hold spaces and parentheses. */
function processStarted(pid: number): string | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux ABI. */
const USER_HZ = 100;
/** btime has whole seconds: a process counts as newer than a lock only beyond this. */
const START_TIME_SLACK_MS = 2_000;

/** When a process started, in ms since the epoch; null where /proc cannot say. */
function processStartedAt(pid: number): number | null {
  const ticks = Number(processStarted(pid));
  const btime = /^btime (\d+)$/m.exec(readProc('/proc/stat') ?? '')?.[1];
  return Number.isFinite(ticks) && btime !== undefined ? Number(btime) * 1000 + (ticks * 1000) / USER_HZ : null;
}

function bootId(): string | null {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() ?? null;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Locks this process holds (file → content): one naming this process that is not among them was
 * copied with its directory (a backup of a running server), so it is stale like any other.
 */
const held = new Map<string, string>();

/**
 * Whether the process a lock names is still the one that wrote it, and still holds it. A lock
 * without a start time (an older server's) belongs to a process that existed when it was written:
 * a process with its pid that started later is another one.
 */
function isLive(file: string, owner: Owner, content: string, writtenAt: number): boolean {
  if (owner.pid === process.pid) return held.get(file) === content;
  const boot = bootId();
  if (owner.boot !== null && boot !== null && owner.boot !== boot) return false;
  if (!processExists(owner.pid)) return false;
  if (owner.started !== null) {
    const started = processStarted(owner.pid);
    return started === null || started === owner.started;
  }
  const startedAt = processStartedAt(owner.pid);
  return startedAt === null || startedAt <= writtenAt + START_TIME_SLACK_MS;
}

/** A lock this version did not write (an older server's bare pid, or garbage) names a pid at best. */
function parseOwner(content: string): Owner | null {
  try {
    const value = JSON.parse(content) as Partial<Record<keyof Owner, unknown>>;
    if (Number.isSafeInteger(value.pid) && (value.pid as number) > 0) {
      const text = (field: unknown) => (typeof field === 'string' ? field : null);
      return { pid: value.pid as number, started: text(value.started), boot: text(value.boot) };
    }
  } catch {
    // Not JSON: perhaps an older server's lock, which held the pid alone.
  }
  const pid = /^\s*(\d+)\s*$/.exec(content)?.[1];
  return pid === undefined ? null : { pid: Number(pid), started: null, boot: null };
}

function ifExists<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function readIfExists(file: string): string | null {
  return ifExists(() => fs.readFileSync(file, 'utf8'));
}

function unlinkIfExists(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Unlinks `file` only while it still holds `content`: never a lock someone else took since. */
function unlinkIfStill(file: string, content: string): void {
  if (readIfExists(file) === content) unlinkIfExists(file);
}

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}

/** Takes `file` for this process; returns its content (to release it by), or null while a live process holds it. */
function acquire(file: string, depth: number): string | null {
  const nonce = randomBytes(8).toString('hex');
  const mine = `${JSON.stringify({ pid: process.pid, started: processStarted(process.pid), boot: bootId(), nonce })}\n`;
  const staging = `${file}.${nonce}`;
  fs.writeFileSync(staging, mine, { flag: 'wx', mode: 0o600 });
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        fs.linkSync(staging, file);
        // Re-check: what the name holds now is this lock, not one that replaced it.
        if (readIfExists(file) !== mine) return null;
        held.set(file, mine);
        return mine;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
      const current = readIfExists(file);
      const writtenAt = ifExists(() => fs.statSync(file).mtimeMs);
      if (current === null || writtenAt === null) continue;
      const owner = parseOwner(current);
      if (owner !== null && isLive(file, owner, current, writtenAt)) return null;
      if (depth >= MAX_BREAK_DEPTH) return null;
      const breaker = `${file}.break-${createHash('sha256').update(current).digest('hex').slice(0, 16)}`;
      const breaking = acquire(breaker, depth + 1);
      // Someone alive is breaking this stale lock and will take the name next.
      if (breaking === null) return null;
      try {
        unlinkIfStill(file, current);
      } finally {
        release(breaker, breaking);
      }
    }
    return null;
  } finally {
    unlinkIfExists(staging);
  }
}

function release(file: string, content: string): void {
  if (held.get(file) === content) held.delete(file);
  unlinkIfStill(file, content);
}

/** Takes the lock or throws `data-dir-locked`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.resolve(dataDir, LOCK_FILE);
  const mine = acquire(file, 0);
  if (mine === null) throw new StartError('data-dir-locked', `${dataDir} is in use by another running server (see ${file})`);
  return () => release(file, mine);
}
