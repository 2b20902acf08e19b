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

/** Write to a temporary name, fsync, rename over the target, fsync the directory. */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await fs.promises.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
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
