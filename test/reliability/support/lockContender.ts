// One of many processes racing for a data directory's lock at the same instant: waits until the
// time given, tries the lock and prints `won` or `locked`. A winner keeps the lock until it is
// killed, so a later contender can never win after it in turn: every `won` is a concurrent holder.
// Spawned by startStop.test.ts.
import { StartError } from '../../../src/server/errors';
import { lockDataDir } from '../../../src/server/lock';

const [dataDir, goAt] = process.argv.slice(2);

setTimeout(() => {
  try {
    lockDataDir(dataDir);
    process.stdout.write('won\n');
    setInterval(() => undefined, 60_000);
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    process.stdout.write('locked\n');
  }
}, Number(goAt) - Date.now());
