// Taking the data directory for one server: the lock first, then everything else. A start that
// loses the lock must leave the directory of the server holding it exactly as it is.
import { createDirectory, secureDirectory } from './files';
import { lockDataDir } from './lock';

/** Creates the directory if need be, takes its lock (or throws `data-dir-locked`), then narrows its modes; returns the unlock. */
export function takeDataDir(dataDir: string): () => void {
  createDirectory(dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    secureDirectory(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  return unlock;
}
