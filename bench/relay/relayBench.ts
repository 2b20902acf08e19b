// Relay throughput (secure server vs a plain ws relay) and ack latency. The servers run in this
// process; the sender and receivers run in a forked load process (loadChild.ts).
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Limits } from '../../src/server/config';
import { silentLogger } from '../../src/server/logger';
import { startChatServer } from '../../src/server/server';
import { within } from '../../test/support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, tempDataDir } from '../../test/support/testServer';
import { fdatasyncMs } from '../diskProbe';
import { Row, fixed, ratio } from '../report';
import { interleave, median, percentile } from '../stats';
import { startPlainRelay } from './plainRelay';
import type { LatencyResult, LoadRequest, LoadResult, Target, ThroughputResult } from './protocol';

/** The default 20 frames/s per connection would measure the rate limit, not the server. */
export const BENCH_LIMITS: Partial<Limits> = {
  framesPerSecond: 1_000_000, frameBurst: 1_000_000,
  addressBytesPerSecond: 2 ** 40, addressBytesBurst: 2 ** 40, roomBytesPerSecond: 2 ** 40, roomBytesBurst: 2 ** 40,
  // Every receiver connects from 127.0.0.1 at once.
  maxUnauthenticated: 1_000, maxUnauthenticatedPerAddress: 1_000,
};
const TEXT_BYTES = 200;
const WINDOW = 128;
const ROUNDS = 3;
/** Messages per run, by receiver count: each run lasts a second or two. */
const MESSAGES: Record<number, number> = { 1: 8_000, 10: 4_000, 50: 1_500 };
const LATENCY_RATE = 500;
const LATENCY_MS = 10_000;
const DISK_PROBES = 1_000;

async function runLoad<T extends LoadResult['kind']>(request: LoadRequest, kind: T, ms: number): Promise<Extract<LoadResult, { kind: T }>> {
  const child = fork(path.join(__dirname, 'loadChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const result = await within(new Promise<LoadResult>((resolve, reject) => {
      child.once('message', (message: LoadResult) => resolve(message));
      child.once('exit', (code) => reject(new Error(`the load process exited (${code}) without a result`)));
      child.send(request);
    }), ms, `the load process (${request.kind})`);
    if (result.kind === 'error') throw new Error(`load process failed: ${result.message}`);
    if (result.kind !== kind) throw new Error(`load process answered ${result.kind}, expected ${kind}`);
    return result as Extract<LoadResult, { kind: T }>;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Runs `body` against a fresh secure server (empty store in a temporary directory), then removes it. */
async function withSecureServer<T>(body: (target: Target) => Promise<T>): Promise<T> {
  const dataDir = tempDataDir();
  const server = await startChatServer({
    password: TEST_PASSWORD, dataDir, host: '127.0.0.1', port: 0, newRoomIterations: TEST_ITERATIONS, limits: BENCH_LIMITS, logger: silentLogger,
  });
  try {
    return await body({ url: server.address, password: TEST_PASSWORD });
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function withPlainRelay<T>(body: (target: Target) => Promise<T>): Promise<T> {
  const relay = await startPlainRelay();
  try {
    return await body({ url: relay.address });
  } finally {
    await relay.close();
  }
}

export interface RelayFigures {
  readonly rows: Row[];
  readonly details: Record<string, unknown>;
}

export async function relayThroughput(log: (line: string) => void): Promise<RelayFigures> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const receivers of [1, 10, 50]) {
    const messages = MESSAGES[receivers];
    const run = (target: Target) => runLoad({
      kind: 'throughput', target, receivers, messages, window: WINDOW, textBytes: TEXT_BYTES, maxMs: 30_000,
    }, 'throughput', 60_000);
    const runs = await interleave(ROUNDS, () => withPlainRelay(run), () => withSecureServer(run));
    // Messages per second delivered to each receiver (deliveries summed over receivers / receivers).
    const rate = (result: ThroughputResult) => (result.deliveries / receivers / result.ms) * 1000;
    const plain = median(runs.baseline.map(rate));
    const secure = median(runs.subject.map(rate));
    for (const [name, results] of [['plain', runs.baseline], ['secure', runs.subject]] as const) {
      log(`  relay ${receivers} receiver(s), ${name}: ${results.map((r) => `${fixed(rate(r))} msg/s (${r.completed}/${messages} complete)`).join(', ')}`);
    }
    details[`relay-${receivers}`] = { messages, window: WINDOW, frameBytes: runs.baseline[0].frameBytes, plain: runs.baseline, secure: runs.subject };
    rows.push({
      bench: 'relay throughput', metric: `msgs/s to each of ${receivers} receiver(s)`,
      baseline: `${fixed(plain)} (plain ws)`, subject: `${fixed(secure)} (secure)`, ratio: ratio(secure, plain),
      target: '≥ 0.80×', met: secure / plain >= 0.8,
    });
  }
  return { rows, details };
}

export async function ackLatency(log: (line: string) => void): Promise<RelayFigures> {
  const disk = await fdatasyncMs(DISK_PROBES, 512);
  log(`  disk alone: ${DISK_PROBES} appends of 512 bytes + fdatasync; p50 ${percentile(disk, 50).toFixed(2)} ms, p99 ${percentile(disk, 99).toFixed(2)} ms, max ${Math.max(...disk).toFixed(2)} ms`);
  const result: LatencyResult = await withSecureServer((target) => runLoad({
    kind: 'latency', target, perSecond: LATENCY_RATE, durationMs: LATENCY_MS, textBytes: TEXT_BYTES,
  }, 'latency', LATENCY_MS + 30_000));
  const p50 = percentile(result.latenciesMs, 50);
  const p99 = percentile(result.latenciesMs, 99);
  const max = Math.max(...result.latenciesMs);
  log(`  ack latency: ${result.latenciesMs.length}/${result.sent} acked at ${LATENCY_RATE} msg/s for ${LATENCY_MS / 1000} s; p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms`);
  const metric = `send → durable ack at ${LATENCY_RATE} msg/s, ${LATENCY_MS / 1000} s`;
  return {
    rows: [
      { bench: 'ack latency', metric: `${metric}, p50`, baseline: `${percentile(disk, 50).toFixed(2)} ms (fdatasync alone)`, subject: `${p50.toFixed(2)} ms`, ratio: '', target: '' },
      { bench: 'ack latency', metric: `${metric}, p99`, baseline: `${percentile(disk, 99).toFixed(2)} ms (fdatasync alone)`, subject: `${p99.toFixed(2)} ms`, ratio: '', target: '< 5 ms', met: p99 < 5 },
    ],
    details: { latency: { sent: result.sent, acked: result.latenciesMs.length, p50, p99, max }, fdatasyncMs: { p50: percentile(disk, 50), p99: percentile(disk, 99) } },
  };
}
