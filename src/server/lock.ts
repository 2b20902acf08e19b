// One server per data directory: two writers appending to the same journal would corrupt it.
// The lock file holds the owner's pid; a lock whose process is gone (a crash, kill -9) is taken over.
import * as fs from 'fs';
import * as path from 'path';
import { StartError } from './errors';

export const LOCK_FILE = 'server.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: its own pid in a lock file is not proof that the lock is stale. */
const held = new Set<string>();

/** Takes the lock or throws `data-dir-locked`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.resolve(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2 && !held.has(file); attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      held.add(file);
      return () => {
        held.delete(file);
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    if (Number.isSafeInteger(owner) && owner !== process.pid && processAlive(owner)) break;
    fs.rmSync(file, { force: true });
  }
  throw new StartError('data-dir-locked', `${dataDir} is in use by another running server (see ${file})`);
}
