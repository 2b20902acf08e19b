// Store scale: stores of 1M (and, on request, 10M) messages next to an empty store in the same run,
// each measured in its own process (store/storeChild.ts): start, RSS, history pages, ingest while
// segments are sealed, the worst event-loop stall and ack meanwhile, stop. Then the floor: what the
// server must do per message at the least, each operation timed alone.
//
// BENCH_STORE_SIZES=1000000,10000000 picks the sizes (default 1,000,000: building 10M takes about
// ten times as long, see the README for what was run).
import { fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { createRoomParams, deriveRoomKeys, openMessage, sealMessage } from '../src/crypto';
import { LAYOUT } from '../src/crypto/envelope';
import { hmacSha256 } from '../src/crypto/primitives';
import { encodeBody } from '../src/protocol/body';
import { DEFAULT_LIMITS } from '../src/server/config';
import { buildSegmentImage } from '../src/server/database';
import { JournalWriter, encodeRecord, journalFile } from '../src/server/journal';
import { RecentKeys } from '../src/server/recentKeys';
import { within } from '../test/support/rawClient';
import { tempDataDir } from '../test/support/testServer';
import { Row, fixed, ratio } from './report';
import { median } from './stats';
import { TEXT_BYTES, buildStore } from './store/buildStore';
import type { StoreRunRequest, StoreRunResult } from './store/storeChild';

const INGEST = 30_000;
const WINDOW = 128;
const PAGES = 100;
const ROUNDS = 2;
/** A 500-person organisation at 50,000 messages a day: 1M is 20 days of history, 10M 200 days. */
const PER_DAY = 50_000;
const FLOOR_SAMPLES = 20_000;
const COMMIT_BATCH = 128;

function sizes(): number[] {
  const chosen = process.env.BENCH_STORE_SIZES?.split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
  return chosen && chosen.length > 0 ? chosen : [1_000_000];
}

function runChild(request: StoreRunRequest): Promise<StoreRunResult> {
  const child = fork(path.join(__dirname, 'store', 'storeChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return within(new Promise<StoreRunResult>((resolve, reject) => {
    child.once('message', (reply: { ok: true; result: StoreRunResult } | { ok: false; message: string }) => (reply.ok ? resolve(reply.result) : reject(new Error(reply.message))));
    child.once('exit', (code) => reject(new Error(`the store process exited (${code}) without a result`)));
    child.send(request);
  }), 300_000, 'the store process');
}

/** Microseconds per call of `body`, over `count` calls. */
function perCall(count: number, body: (i: number) => void): number {
  const started = performance.now();
  for (let i = 0; i < count; i++) body(i);
  return ((performance.now() - started) * 1000) / count;
}

interface Floor {
  readonly macUs: number;
  readonly openUs: number;
  readonly replayUs: number;
  readonly journalUs: number;
  readonly sealUs: number;
}

/** Each required operation alone, per message. */
async function floor(): Promise<Floor> {
  const keys = await deriveRoomKeys('floor bench', createRoomParams(1));
  const plaintext = encodeBody({ text: 'x'.repeat(TEXT_BYTES) });
  const envelopes = Array.from({ length: FLOOR_SAMPLES }, () => sealMessage(keys, { username: 'bench', plaintext, timestamp: Date.now() }).envelope);
  const macUs = perCall(envelopes.length, (i) => hmacSha256(keys.messageMac, envelopes[i].subarray(0, envelopes[i].length - 32)));
  const openUs = perCall(envelopes.length, (i) => openMessage(keys, envelopes[i]));
  const recent = new RecentKeys();
  const ids = envelopes.map((e) => e.subarray(LAYOUT.messageId, LAYOUT.timestamp));
  const ivs = envelopes.map((e) => e.subarray(LAYOUT.messageIv, LAYOUT.ciphertext));
  const replayUs = perCall(envelopes.length, (i) => {
    if (!recent.has(ids[i], ivs[i])) recent.add(ids[i], ivs[i]);
  });
  const dir = tempDataDir();
  const journal = await JournalWriter.create(journalFile(dir, 1));
  const started = performance.now();
  for (let first = 0; first < envelopes.length; first += COMMIT_BATCH) {
    const batch = envelopes.slice(first, first + COMMIT_BATCH).map((envelope, i) => encodeRecord({ seq: first + i + 1, receivedAt: Date.now(), envelope }));
    await journal.append(Buffer.concat(batch));
  }
  const journalUs = ((performance.now() - started) * 1000) / envelopes.length;
  await journal.close();
  const records = envelopes.slice(0, DEFAULT_LIMITS.segmentMessages).map((envelope, i) => ({ seq: i + 1, receivedAt: Date.now(), envelope }));
  const sealStarted = performance.now();
  await buildSegmentImage(records);
  const sealUs = ((performance.now() - sealStarted) * 1000) / records.length;
  fs.rmSync(dir, { recursive: true, force: true });
  return { macUs, openUs, replayUs, journalUs, sealUs };
}

export async function storeScaling(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const keys = await deriveRoomKeys('store bench', createRoomParams(1));
  const request = (dataDir: string): StoreRunRequest => ({ dataDir, ingest: INGEST, window: WINDOW, pages: PAGES });
  for (const size of sizes()) {
    const large = tempDataDir();
    const buildStarted = performance.now();
    await buildStore(large, keys, size, DEFAULT_LIMITS.segmentMessages, PER_DAY);
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
    const label = `${fixed(size / 1e6)}M`;
    const bench = `store scale ${label}`;
    const pair = (key: keyof StoreRunResult, digits: number, unit: string, target: string, met: (value: number) => boolean, pick = m): Row => ({
      bench, metric: key, baseline: `${fixed(pick(empty, key), digits)} ${unit} (empty)`, subject: `${fixed(pick(full, key), digits)} ${unit}`,
      ratio: '', target, met: target ? met(pick(full, key)) : undefined,
    });
    const ingestRatio = m(full, 'ingestPerSecond') / m(empty, 'ingestPerSecond');
    rows.push(
      pair('openMs', 0, 'ms', '< 1,000 ms', (v) => v < 1000),
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

  const f = await floor();
  const required = f.openUs + f.replayUs + f.journalUs;
  log(`  floor per message (us): MAC ${f.macUs.toFixed(1)}, openMessage (MAC + both decrypts) ${f.openUs.toFixed(1)}, replay check ${f.replayUs.toFixed(2)}, journal (encode + write + fdatasync per ${COMMIT_BATCH}) ${f.journalUs.toFixed(1)}, sealing into a segment (worker) ${f.sealUs.toFixed(1)}`);
  const storeFloor = f.replayUs + f.journalUs + f.sealUs;
  const storeCpu = median(Object.values(details).flatMap((d) => (d as { empty: StoreRunResult[] }).empty.map((r) => r.cpuUsPerMessage)));
  rows.push(
    { bench: 'per-message floor', metric: 'required event-loop work: openMessage + replay check + journal share', baseline: '', subject: `${required.toFixed(1)} µs`, ratio: '', target: '' },
    { bench: 'per-message floor', metric: 'store CPU per message (all threads) vs its floor (replay + journal + seal share)', baseline: `${storeFloor.toFixed(1)} µs (floor)`, subject: `${storeCpu.toFixed(1)} µs`, ratio: ratio(storeCpu, storeFloor), target: '≤ 1.30×', met: storeCpu / storeFloor <= 1.3 },
  );
  details.floor = { ...f, required, storeFloor, storeCpu };
  return { rows, details };
}
