// Child processes that run in their own session and process group (setsid), so that stopping one
// also stops everything it forked: code-server leaves a file watcher behind when only its main PID
// is killed, and Chromium runs a dozen helpers. Every group started here is stopped on every way
// out of this process (normal exit, failure, SIGINT, SIGTERM); scratch folders made here are removed then.
// When the test orchestrator sets PGID_DIR_ENV, each running group is also listed in that folder,
// so that the orchestrator can sweep the groups of a stage it had to kill outright.
import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const PGID_DIR_ENV = 'SECURE_CHAT_PGID_DIR';

export interface Group {
  readonly child: ChildProcess;
  /** Resolves with the leader's exit code (null when killed by a signal or not started). */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the whole group, then SIGKILL to what is left of it after the grace time. */
  stop(graceMs?: number): Promise<void>;
}

interface Running {
  readonly group: Group;
  /** Synchronous last resort for the 'exit' event, where nothing asynchronous runs any more. */
  killNow(): void;
}

const running = new Set<Running>();
const scratchDirs = new Set<string>();

/** A new temporary folder, removed when this process exits (after the groups using it are stopped). */
export function makeScratch(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): Group {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const pgid = child.pid;
  const pgidDir = process.env[PGID_DIR_ENV];
  const record = pgid !== undefined && pgidDir ? path.join(pgidDir, String(pgid)) : undefined;
  if (record) fs.writeFileSync(record, `${command}\n`);
  const killNow = (): void => {
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
    if (record) fs.rmSync(record, { force: true });
    running.delete(entry);
  };
  const group: Group = {
    child,
    exited,
    async stop(graceMs = 5000) {
      if (pgid !== undefined) signalGroup(pgid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      // The leader may be gone while helpers it forked still run: finish the whole group off.
      killNow();
    },
  };
  const entry: Running = { group, killNow };
  running.add(entry);
  return group;
}

/** Kills every group listed in a PGID folder, for groups whose owner was itself killed. */
export function sweepRecordedGroups(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    signalGroup(Number(name), 'SIGKILL');
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

process.once('exit', () => {
  for (const entry of running) entry.killNow();
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the processes started here`);
    void Promise.all([...running].map(({ group }) => group.stop(2000))).finally(() => process.exit(code));
  });
}
