// The disk's own floor for a durable ack: one small append and fdatasync, timed, in the same
// temporary folder the servers use. An ack can be no faster than this, and no steadier.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { tempDataDir } from '../test/support/testServer';

export async function fdatasyncMs(count: number, bytes: number): Promise<number[]> {
  const dir = tempDataDir();
  const handle = await fs.promises.open(path.join(dir, 'probe.log'), 'wx', 0o600);
  const record = Buffer.alloc(bytes, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await handle.write(record);
      await handle.datasync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return times;
}
