// Key derivation: the time from connect() to "connected" for a fresh ChatClient (no cached keys),
// against a room at the default PBKDF2 work factor and against one at 1 iteration, which leaves
// everything but the KDF: the difference is the KDF's share of connecting.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { ChatClient } from '../src/client';
import { DEFAULT_ITERATIONS } from '../src/crypto';
import { silentLogger } from '../src/server/logger';
import { RunningServer, startChatServer } from '../src/server/server';
import { within } from '../test/support/rawClient';
import { TEST_PASSWORD, tempDataDir } from '../test/support/testServer';
import { Row, fixed, ratio } from './report';
import { interleave, median } from './stats';

const ROUNDS = 5;

async function startRoom(iterations: number): Promise<{ server: RunningServer; dataDir: string }> {
  const dataDir = tempDataDir();
  const server = await startChatServer({ password: TEST_PASSWORD, dataDir, host: '127.0.0.1', port: 0, newRoomIterations: iterations, logger: silentLogger });
  return { server, dataDir };
}

async function connectMs(address: string): Promise<number> {
  const client = new ChatClient({ address, password: TEST_PASSWORD, username: 'bench', minIterations: 1 });
  try {
    const connected = new Promise<void>((resolve, reject) => client.on('state', (state) => {
      if (state.status === 'connected') resolve();
      if (state.status === 'error') reject(new Error(state.message));
    }));
    const started = performance.now();
    client.connect();
    await within(connected, 30_000, 'the client to connect');
    return performance.now() - started;
  } finally {
    client.dispose();
  }
}

export async function keyDerivation(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const cheap = await startRoom(1);
  const real = await startRoom(DEFAULT_ITERATIONS);
  try {
    const runs = await interleave(ROUNDS, () => connectMs(cheap.server.address), () => connectMs(real.server.address));
    log(`  connect (ms): 1 iteration ${runs.baseline.map((ms) => fixed(ms, 1)).join(', ')}; ${fixed(DEFAULT_ITERATIONS)} ${runs.subject.map((ms) => fixed(ms, 1)).join(', ')}`);
    const base = median(runs.baseline);
    const full = median(runs.subject);
    return {
      rows: [{
        bench: 'key derivation', metric: `connect incl. PBKDF2 (KDF share ${fixed(full - base)} ms)`,
        baseline: `${fixed(base, 1)} ms (1 iter.)`, subject: `${fixed(full, 1)} ms (${fixed(DEFAULT_ITERATIONS)})`, ratio: ratio(full, base), target: '',
      }],
      details: { kdf: runs },
    };
  } finally {
    for (const room of [cheap, real]) {
      await room.server.close();
      fs.rmSync(room.dataDir, { recursive: true, force: true });
    }
  }
}
