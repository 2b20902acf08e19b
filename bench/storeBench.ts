// Store scale: a large store next to an empty store in the same run, each measured in its own
// process (store/storeChild.ts): start, RSS, history pages, ingest while segments are sealed, the
// worst event-loop stall and ack meanwhile, stop. Then the store's CPU per message against the
// floor of its work (floor.ts).
//
// `npm run bench -- store --store-sizes=1000000,10000000` (or BENCH_STORE_SIZES) picks the sizes;
// the default, 100,000, keeps the whole benchmark within minutes. A build costs about 50 µs of CPU
// per message (sealing and writing segments, one thread per core): 1M is about a minute on an idle
// 2-core machine, 10M ten times that and 5 GiB of disk.
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createRoomParams, deriveRoomKeys } from '../src/crypto';
import { DEFAULT_LIMITS } from '../src/server/config';
import { within } from '../test/support/rawClient';
import { tempDataDir } from '../test/support/testServer';
import { describeFloor, measureFloor } from './floor';
import { Row, fixed, ratio } from './report';
import { median } from './stats';
import { TEXT_BYTES, buildStore } from './store/buildStore';
import type { StoreRunRequest, StoreRunResult } from './store/storeChild';
import { writeEnvelopes } from './store/storeEnvelopes';

const INGEST = 30_000;
const WINDOW = 128;
const PAGES = 100;
const ROUNDS = 3;
/** Messages a steady-state run ingests before its measured ingest: by then the sealer's sql.js is compiled and tiered up. */
const STEADY_WARM_UP = 20_000;
/** A 500-person organisation at 50,000 messages a day: 1M is 20 days of history, 10M 200 days. */
const PER_DAY = 50_000;

const SIZES_FLAG = '--store-sizes=';
const DEFAULT_SIZES = [100_000];

function sizes(): number[] {
  const given = process.argv.find((arg) => arg.startsWith(SIZES_FLAG))?.slice(SIZES_FLAG.length) ?? process.env.BENCH_STORE_SIZES;
  const chosen = given?.split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  return chosen && chosen.length > 0 ? chosen : DEFAULT_SIZES;
}

function runChild(request: StoreRunRequest): Promise<StoreRunResult> {
  const child = fork(path.join(__dirname, 'store', 'storeChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return within(new Promise<StoreRunResult>((resolve, reject) => {
    child.once('message', (reply: { ok: true; result: StoreRunResult } | { ok: false; message: string }) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.message))));
    child.once('exit', (code) => reject(new Error(`the store process exited (${code}) without a result`)));
    child.send(request);
  }), 300_000, 'the store process');
}

export async function storeScaling(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const room = createRoomParams(1);
  const keys = await deriveRoomKeys('store bench', room);
  const envelopes = path.join(tempDataDir(), 'envelopes.bin');
  // Sealed afresh for every run (see storeEnvelopes.ts), here, outside the store's process.
  const request = (dataDir: string, warmUp = 0): StoreRunRequest => {
    writeEnvelopes(envelopes, keys, warmUp + INGEST);
    return { dataDir, envelopesFile: envelopes, window: WINDOW, pages: PAGES, warmUp };
  };
  for (const size of sizes()) {
    const large = tempDataDir();
    const buildStarted = performance.now();
    await buildStore(large, 'store bench', room, size, DEFAULT_LIMITS.segmentMessages, PER_DAY);
    const buildMs = performance.now() - buildStarted;
    const bytes = fs.readdirSync(large).reduce((sum, name) => sum + fs.statSync(path.join(large, name)).size, 0);
    log(`  built ${fixed(size)} messages (${fixed(size / DEFAULT_LIMITS.segmentMessages)} sealed segments, ${fixed(bytes / 2 ** 20)} MiB) in ${fixed(buildMs / 1000, 1)} s`);
    const empty: StoreRunResult[] = [];
    const full: StoreRunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const emptyDir = tempDataDir();
      empty.push(await runChild(request(emptyDir)));
      fs.rmSync(emptyDir, { recursive: true, force: true });
      full.push(await runChild(request(large)));
    }
    fs.rmSync(large, { recursive: true, force: true });
    for (const [name, runs] of [['empty', empty], [fixed(size), full]] as const) {
      log(`  ${name}: ${runs.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 100) / 100])))).join('\n    ')}`);
    }
    const m = (runs: StoreRunResult[], key: keyof StoreRunResult) => median(runs.map((r) => r[key]));
    const worst = (runs: StoreRunResult[], key: keyof StoreRunResult) => Math.max(...runs.map((r) => r[key]));
    const label = size >= 1e6 ? `${fixed(size / 1e6)}M` : `${fixed(size / 1e3)}k`;
    const bench = `store scale ${label}`;
    const pair = (key: keyof StoreRunResult, digits: number, unit: string, target: string, met: (value: number) => boolean, pick = m): Row => ({
      bench, metric: key, baseline: `${fixed(pick(empty, key), digits)} ${unit} (empty)`, subject: `${fixed(pick(full, key), digits)} ${unit}`,
      ratio: '', target, met: target ? met(pick(full, key)) : undefined,
    });
    const ingestRatio = m(full, 'ingestPerSecond') / m(empty, 'ingestPerSecond');
    rows.push(
      pair('openMs', 0, 'ms', '< 1,000 ms', (v) => v < 1000),
      pair('openCpuMs', 0, 'ms', '', () => true),
      pair('rssAfterOpenMiB', 0, 'MiB', '< 250 MiB', (v) => v < 250),
      pair('peakRssMiB', 0, 'MiB', '< 250 MiB', (v) => v < 250, worst),
      pair('latestPageP99Ms', 2, 'ms', '< 20 ms', (v) => v < 20),
      pair('oldestPageP99Ms', 2, 'ms', '< 20 ms', (v) => v < 20),
      pair('oldestColdPageMs', 1, 'ms', '< 20 ms', (v) => v < 20, worst),
      { bench, metric: `ingest msgs/s (replay check + durable append, ${WINDOW} in flight, ${fixed(INGEST)} msgs, sealing meanwhile)`, baseline: `${fixed(m(empty, 'ingestPerSecond'))} (empty)`, subject: fixed(m(full, 'ingestPerSecond')), ratio: ratio(m(full, 'ingestPerSecond'), m(empty, 'ingestPerSecond')), target: '≥ 0.95×', met: ingestRatio >= 0.95 },
      pair('worstStallMs', 1, 'ms', '< 50 ms', (v) => v < 50, worst),
      pair('worstAckMs', 1, 'ms', '< 100 ms', (v) => v < 100, worst),
      pair('closeMs', 0, 'ms', '< 1,000 ms', (v) => v < 1000, worst),
    );
    details[`store-${label}`] = { size, buildMs, bytes, empty, full };
  }

  // The CPU per message of a store that has run for a while: empty stores, each after a warm-up.
  const steady: StoreRunResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dir = tempDataDir();
    steady.push(await runChild(request(dir, STEADY_WARM_UP)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(path.dirname(envelopes), { recursive: true, force: true });

  const f = await measureFloor(TEXT_BYTES);
  log(`  floor per message (µs CPU): ${describeFloor(f)}`);
  const storeFloor = f.replayUs + f.journalUs + f.sealUs;
  const cpuRow = (metric: string, runs: StoreRunResult[]): Row => {
    const cpu = median(runs.map((r) => r.cpuUsPerMessage));
    return {
      bench: 'per-message floor', metric, baseline: `${storeFloor.toFixed(1)} µs (floor)`, subject: `${cpu.toFixed(1)} µs`, ratio: ratio(cpu, storeFloor), target: '≤ 1.30×', met: cpu / storeFloor <= 1.3,
    };
  };
  const fresh = Object.values(details).flatMap((d) => (d as { empty: StoreRunResult[] }).empty);
  rows.push(
    cpuRow(`store CPU per message (all threads) vs its floor (replay + journal + segment insert), after ${fixed(STEADY_WARM_UP)} messages`, steady),
    { ...cpuRow('the same, a fresh process (its first seals compile sql.js)', fresh), target: '', met: undefined },
  );
  details.floor = { ...f, storeFloor, steady, steadyCpu: median(steady.map((r) => r.cpuUsPerMessage)), freshCpu: median(fresh.map((r) => r.cpuUsPerMessage)) };
  return { rows, details };
}
