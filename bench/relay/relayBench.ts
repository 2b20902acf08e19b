// Relay throughput and the server's CPU per message (secure server vs a plain ws relay, and vs the
// floor of its required work), ack latency, fan-out delivery latency, and a reconnect storm. The
// servers run in this process, which does nothing else meanwhile, so its CPU time (all threads) is
// the server's; the clients run in a forked load process (loadChild.ts).
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Limits } from '../../src/server/config';
import { silentLogger } from '../../src/server/logger';
import { startChatServer } from '../../src/server/server';
import { within } from '../../test/support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, tempDataDir } from '../../test/support/testServer';
import { fdatasyncMs } from '../diskProbe';
import { describeFloor, measureFloor } from '../floor';
import { Row, fixed, ratio } from '../report';
import { interleave, median, percentile } from '../stats';
import { startPlainRelay } from './plainRelay';
import type { FanoutResult, LoadRequest, LoadResult, Target, ThroughputResult } from './protocol';

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
/**
 * Messages a server relays to one receiver, unmeasured, before its measured run: a team's server
 * has been running for a while, so its first segments' seals (the sealer thread compiling sql.js's
 * WebAssembly, then tiering it up) are the store section's "fresh process" row, not this one's.
 * Eight 2,000-message segments, the point at which a build costs what it goes on costing (floor.ts).
 */
const WARM_UP_MESSAGES = 16_000;
/** The issue's targets: none for one receiver, whose plain relay forwards at almost no cost. */
const RELAY_TARGETS: Record<number, number | undefined> = { 1: undefined, 10: 0.8, 50: 0.9 };
const LATENCY_RATE = 500;
const LATENCY_MS = 10_000;
const DISK_PROBES = 1_000;
/** 100 members each sending a message a second, with the server's default limits. */
const FANOUT_CLIENTS = 100;
const FANOUT_MS = 8_000;
/** Default limits but for the handshake caps: every client connects from 127.0.0.1. */
const FANOUT_LIMITS: Partial<Limits> = { maxUnauthenticated: 1_000, maxUnauthenticatedPerAddress: 1_000 };
const STORM_MEMBERS = 1_000;
const STORM_MAX_MS = 60_000;

/** What the load process measured, and the CPU this process (the server) used meanwhile. */
export interface Loaded<R> {
  readonly result: R;
  readonly serverCpuMs: number;
}

export async function runLoad<T extends LoadResult['kind']>(request: LoadRequest, kind: T, ms: number): Promise<Loaded<Extract<LoadResult, { kind: T }>>> {
  const child = fork(path.join(__dirname, 'loadChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let cpu = process.cpuUsage();
    const result = await within(new Promise<LoadResult>((resolve, reject) => {
      child.once('message', (message: LoadResult) => {
        cpu = process.cpuUsage(cpu);
        resolve(message);
      });
      child.once('exit', (code) => reject(new Error(`the load process exited (${code}) without a result`)));
      cpu = process.cpuUsage();
      child.send(request);
    }), ms, `the load process (${request.kind})`);
    if (result.kind === 'error') throw new Error(`load process failed: ${result.message}`);
    if (result.kind !== kind) throw new Error(`load process answered ${result.kind}, expected ${kind}`);
    return { result: result as Extract<LoadResult, { kind: T }>, serverCpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Runs `body` against a fresh secure server (empty store in a temporary directory), then removes it. */
async function withSecureServer<T>(body: (target: Target) => Promise<T>, limits = BENCH_LIMITS): Promise<T> {
  const dataDir = tempDataDir();
  const server = await startChatServer({
    password: TEST_PASSWORD, dataDir, host: '127.0.0.1', port: 0, newRoomIterations: TEST_ITERATIONS, limits, logger: silentLogger,
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
  const floor = await measureFloor(TEXT_BYTES);
  log(`  floor per message (µs CPU, each operation alone): ${describeFloor(floor)}`);
  details.floor = floor;
  for (const receivers of [1, 10, 50]) {
    const messages = MESSAGES[receivers];
    const run = async (target: Target) => {
      await runLoad({
        kind: 'throughput', target, receivers: 1, messages: WARM_UP_MESSAGES, window: WINDOW, textBytes: TEXT_BYTES, maxMs: 30_000, namePrefix: 'warm-',
      }, 'throughput', 60_000);
      return runLoad({ kind: 'throughput', target, receivers, messages, window: WINDOW, textBytes: TEXT_BYTES, maxMs: 30_000 }, 'throughput', 60_000);
    };
    const runs = await interleave(ROUNDS, () => withPlainRelay(run), () => withSecureServer(run));
    // Messages per second delivered to each receiver (deliveries summed over receivers / receivers).
    const rate = ({ result }: Loaded<ThroughputResult>) => (result.deliveries / receivers / result.ms) * 1000;
    // Server CPU (all threads) per message sent, whatever it cost to deliver it to every receiver.
    const cpuPerMessage = ({ result, serverCpuMs }: Loaded<ThroughputResult>) => (serverCpuMs * 1000) / result.completed;
    const plain = median(runs.baseline.map(rate));
    const secure = median(runs.subject.map(rate));
    const plainCpu = median(runs.baseline.map(cpuPerMessage));
    const secureCpu = median(runs.subject.map(cpuPerMessage));
    for (const [name, results] of [['plain', runs.baseline], ['secure', runs.subject]] as const) {
      log(`  relay ${receivers} receiver(s), ${name}: ${results.map((r) => `${fixed(rate(r))} msg/s, ${cpuPerMessage(r).toFixed(1)} µs CPU/msg (${r.result.completed}/${messages} complete)`).join(', ')}`);
    }
    details[`relay-${receivers}`] = { messages, window: WINDOW, frameBytes: runs.baseline[0].result.frameBytes, plain: runs.baseline, secure: runs.subject };
    const target = RELAY_TARGETS[receivers];
    rows.push({
      bench: 'relay throughput', metric: `msgs/s to each of ${receivers} receiver(s), after ${fixed(WARM_UP_MESSAGES)} unmeasured`,
      baseline: `${fixed(plain)} (plain ws)`, subject: `${fixed(secure)} (secure)`, ratio: ratio(secure, plain),
      ...(target === undefined ? { target: '' } : { target: `≥ ${target.toFixed(2)}×`, met: secure / plain >= target }),
    });
    if (receivers !== 1) continue;
    // A measured run seals segments (8,000 messages, segments of 2,000): the floor holds the
    // segment insert's share beside what a message costs up to its ack.
    const least = floor.requiredUs;
    rows.push(
      {
        bench: 'server CPU', metric: 'per message, 1 receiver, all threads, vs the floor of its required work (MAC, signature, decrypts, replay check, journal, segment insert)',
        baseline: `${least.toFixed(1)} µs (floor)`, subject: `${secureCpu.toFixed(1)} µs`, ratio: ratio(secureCpu, least), target: '≤ 1.30×', met: secureCpu / least <= 1.3,
      },
      {
        bench: 'server CPU', metric: 'per message, 1 receiver, vs that floor plus the plain relay\'s CPU per message (frames in and out)',
        baseline: `${(least + plainCpu).toFixed(1)} µs (${plainCpu.toFixed(1)} plain)`, subject: `${secureCpu.toFixed(1)} µs`, ratio: ratio(secureCpu, least + plainCpu), target: '',
      },
    );
    details.cpuPerMessage = { floor: least, plain: plainCpu, secure: secureCpu };
  }
  return { rows, details };
}

/** 100 clients each sending one message a second, each delivered to the 99 others: p99 of send → arrival. */
export async function fanoutLatency(log: (line: string) => void): Promise<RelayFigures> {
  const run = (target: Target) => runLoad({
    kind: 'fanout', target, clients: FANOUT_CLIENTS, perSecond: 1, durationMs: FANOUT_MS, textBytes: TEXT_BYTES,
  }, 'fanout', FANOUT_MS + 60_000);
  const runs = await interleave(ROUNDS, () => withPlainRelay(run), () => withSecureServer(run, FANOUT_LIMITS));
  const p99 = ({ result }: Loaded<FanoutResult>) => percentile(result.latenciesMs, 99);
  for (const [name, results] of [['plain', runs.baseline], ['secure', runs.subject]] as const) {
    log(`  ${FANOUT_CLIENTS} clients x 1 msg/s, ${name}: ${results.map(({ result }) => `p50 ${percentile(result.latenciesMs, 50).toFixed(2)} ms, p99 ${percentile(result.latenciesMs, 99).toFixed(2)} ms (${result.latenciesMs.length}/${result.expected} delivered)`).join('; ')}`);
  }
  const plain = median(runs.baseline.map(p99));
  const secure = median(runs.subject.map(p99));
  const delivered = (runs: Loaded<FanoutResult>[]) => runs.every(({ result }) => result.latenciesMs.length === result.expected);
  return {
    rows: [{
      bench: 'fan-out latency', metric: `${FANOUT_CLIENTS} clients × 1 msg/s for ${FANOUT_MS / 1000} s, send → each other client, p99 (default limits)`,
      baseline: `${plain.toFixed(2)} ms (plain ws)`, subject: `${secure.toFixed(2)} ms`, ratio: ratio(secure, plain), target: '≤ 1.50×',
      met: secure / plain <= 1.5 && delivered(runs.subject),
    }],
    details: { fanout: { plain: runs.baseline.map((r) => ({ p99: p99(r), delivered: r.result.latenciesMs.length, expected: r.result.expected })), secure: runs.subject.map((r) => ({ p99: p99(r), delivered: r.result.latenciesMs.length, expected: r.result.expected })) } },
  };
}

/** 1,000 members connecting at once (as after a restart or a network cut): the server's CPU until each knows all are online. */
export async function reconnectStorm(log: (line: string) => void): Promise<RelayFigures> {
  const runs: Loaded<Extract<LoadResult, { kind: 'storm' }>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(await withSecureServer((target) => runLoad({ kind: 'storm', target, members: STORM_MEMBERS, maxMs: STORM_MAX_MS }, 'storm', STORM_MAX_MS + 60_000)));
  }
  log(`  ${STORM_MEMBERS} members at once: ${runs.map(({ result, serverCpuMs }) => `server CPU ${fixed(serverCpuMs)} ms, ${fixed(result.ms)} ms until ${result.complete}/${STORM_MEMBERS} saw everyone`).join('; ')}`);
  const cpu = median(runs.map((r) => r.serverCpuMs));
  const complete = runs.every(({ result }) => result.complete === STORM_MEMBERS);
  return {
    rows: [{
      bench: 'reconnect storm', metric: `${fixed(STORM_MEMBERS)} members connecting at once: server CPU until each saw all online`,
      baseline: '', subject: `${fixed(cpu)} ms (${fixed(median(runs.map((r) => r.result.ms)))} ms wall)`, ratio: '', target: '< 3,000 ms', met: cpu < 3000 && complete,
    }],
    details: { storm: runs.map(({ result, serverCpuMs }) => ({ ...result, serverCpuMs })) },
  };
}

export async function ackLatency(log: (line: string) => void): Promise<RelayFigures> {
  const disk = await fdatasyncMs(DISK_PROBES, 512);
  log(`  disk alone: ${DISK_PROBES} appends of 512 bytes + fdatasync; p50 ${percentile(disk, 50).toFixed(2)} ms, p99 ${percentile(disk, 99).toFixed(2)} ms, max ${Math.max(...disk).toFixed(2)} ms`);
  const { result } = await withSecureServer((target) => runLoad({
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
