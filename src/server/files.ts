// File operations the store relies on for durability: a file is only ever replaced by the atomic
// rename of a complete, fsync'd copy, and a damaged file is moved aside, never deleted.
import * as fs from 'fs';
import * as path from 'path';

/** Makes a directory entry change (create, rename, unlink) durable. */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await fs.promises.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Create-only, and never through a symlink: whatever sits at the name (a leftover of a crash, or a
 * link planted by another local user) is unlinked first, and if it reappears the open fails rather
 * than writing where it points. O_NOFOLLOW does not exist on Windows; O_EXCL alone refuses links there.
 */
const CREATE_EXCLUSIVE = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);

/** Owner only: the directory holds the verifier, which allows offline guessing (docs/SECURITY.md). */
const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates the data directory, owner-only, and nothing else: a start that has not taken the lock yet
 * must not change the directory or any file of the server that holds it.
 */
export function createDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
}

/**
 * Narrows the data directory to the owner, and files in it that group or others could read (left by
 * an older version, or copied in) to 0600. Only for the lock's holder. Symlinks inside are left
 * alone: chmod would change what they point at. An entry may vanish during the scan: starts losing
 * the lock race create and remove their own staging files beside the lock.
 */
export function secureDirectory(directory: string): void {
  fs.chmodSync(directory, DIRECTORY_MODE);
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(directory, entry.name);
    try {
      if ((fs.lstatSync(file).mode & 0o077) !== 0) fs.chmodSync(file, FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Opens a new file for writing, owner-only, refusing an existing name or a symlink (see CREATE_EXCLUSIVE). */
export function createExclusive(file: string): Promise<fs.promises.FileHandle> {
  return fs.promises.open(file, CREATE_EXCLUSIVE, FILE_MODE);
}

/** Write to a temporary name, fsync, rename over the target, fsync the directory. */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const temporary = `${file}.tmp`;
  await fs.promises.rm(temporary, { force: true });
  const handle = await createExclusive(temporary);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, file);
  } catch (error) {
    // A partial copy left behind would hold on to the space a full disk needs back.
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
  await fsyncDirectory(path.dirname(file));
}

/** Renames a damaged file to `<name>.corrupt-<timestamp>` and returns the new path. */
export async function moveAside(file: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 1; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  await fs.promises.rename(file, target);
  await fsyncDirectory(path.dirname(file));
  return target;
}

/** The file system is full, or the user's disk quota is: a write may succeed again once space returns. */
export function isStorageFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
