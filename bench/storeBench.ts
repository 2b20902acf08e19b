// Store scaling, through the store module directly (no network): ingest into an empty store vs one
// already holding 100k messages, the time to open the 100k store, and to read a history page.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { RoomKeys, createRoomParams, deriveRoomKeys, sealMessage } from '../src/crypto';
import { LAYOUT } from '../src/crypto/envelope';
import { encodeBody } from '../src/protocol/body';
import { MAX_FRAME_BYTES } from '../src/protocol/wire';
import { DEFAULT_LIMITS } from '../src/server/config';
import { MessageDatabase } from '../src/server/database';
import { silentLogger } from '../src/server/logger';
import { AcceptedEnvelope, MessageStore, SNAPSHOT_FILE } from '../src/server/store';
import { tempDataDir } from '../test/support/testServer';
import { Row, fixed, ratio } from './report';
import { interleave, median } from './stats';

const LARGE = 100_000;
const INGEST = 30_000;
/** Appends in flight at once, as many connections' messages would be. */
const WINDOW = 128;
const ROUNDS = 3;
const OPEN_RUNS = 5;
const PAGE_RUNS = 50;

function seal(keys: RoomKeys, count: number): AcceptedEnvelope[] {
  const plaintext = encodeBody({ text: 'x'.repeat(200) });
  return Array.from({ length: count }, () => {
    const { messageId, envelope } = sealMessage(keys, { username: 'bench', plaintext, timestamp: Date.now() });
    return { messageId, messageIv: envelope.subarray(LAYOUT.messageIv, LAYOUT.ciphertext), envelope };
  });
}

/** A data directory whose snapshot holds `count` messages, written through the database module in bulk. */
async function buildLarge(keys: RoomKeys, count: number): Promise<string> {
  const dir = tempDataDir();
  const db = await MessageDatabase.open();
  const chunk = 10_000;
  for (let first = 1; first <= count; first += chunk) {
    db.insert(seal(keys, Math.min(chunk, count - first + 1)).map((message, i) => ({ seq: first + i, receivedAt: Date.now(), envelope: message.envelope })));
  }
  fs.writeFileSync(path.join(dir, SNAPSHOT_FILE), db.export());
  db.close();
  return dir;
}

function copyOf(template: string | null): string {
  const dir = tempDataDir();
  if (template) fs.copyFileSync(path.join(template, SNAPSHOT_FILE), path.join(dir, SNAPSHOT_FILE));
  return dir;
}

function openStore(dataDir: string): Promise<MessageStore> {
  return MessageStore.open({
    dataDir, logger: silentLogger, snapshotEveryMessages: DEFAULT_LIMITS.snapshotEveryMessages, snapshotGrowth: DEFAULT_LIMITS.snapshotGrowth,
    onFatal: (error) => { throw error; },
  });
}

/** Messages per second through what the server does per message: the replay check, then the durable append. */
async function ingest(template: string | null, messages: AcceptedEnvelope[]): Promise<number> {
  const dataDir = copyOf(template);
  const store = await openStore(dataDir);
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const message = messages[next++];
      if (store.contains(message.messageId, message.messageIv)) throw new Error('a fresh message reads as stored');
      await store.append(message);
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  const rate = (messages.length / (performance.now() - started)) * 1000;
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return rate;
}

async function timed(body: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

export async function storeScaling(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const keys = await deriveRoomKeys('store bench', createRoomParams(1));
  let large = '';
  const buildMs = await timed(async () => (large = await buildLarge(keys, LARGE)));
  const snapshotBytes = fs.statSync(path.join(large, SNAPSHOT_FILE)).size;
  log(`  built a ${fixed(LARGE)}-message store in ${fixed(buildMs)} ms (snapshot ${fixed(snapshotBytes / 2 ** 20, 1)} MiB)`);

  const runs = await interleave(ROUNDS, () => ingest(null, seal(keys, INGEST)), () => ingest(large, seal(keys, INGEST)));
  log(`  ingest of ${fixed(INGEST)} (msg/s): empty ${runs.baseline.map((r) => fixed(r)).join(', ')}; 100k ${runs.subject.map((r) => fixed(r)).join(', ')}`);
  const empty = median(runs.baseline);
  const full = median(runs.subject);

  const openMs: number[] = [];
  for (let run = 0; run < OPEN_RUNS; run++) {
    const dataDir = copyOf(large);
    let store: MessageStore | undefined;
    openMs.push(await timed(async () => (store = await openStore(dataDir))));
    await store!.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  log(`  open 100k store (ms): ${openMs.map((ms) => fixed(ms)).join(', ')}`);

  const store = await openStore(copyOf(large));
  const latestMs: number[] = [];
  const middleMs: number[] = [];
  for (let run = 0; run < PAGE_RUNS; run++) {
    latestMs.push(await timed(() => store.history({ limit: 100 }, MAX_FRAME_BYTES)));
    middleMs.push(await timed(() => store.history({ before: LARGE / 2, limit: 100 }, MAX_FRAME_BYTES)));
  }
  await store.close();
  fs.rmSync(large, { recursive: true, force: true });

  const rows: Row[] = [
    {
      bench: 'store scaling', metric: `ingest msgs/s (replay check + durable append, ${WINDOW} in flight)`,
      baseline: `${fixed(empty)} (empty)`, subject: `${fixed(full)} (100k stored)`, ratio: ratio(full, empty), target: '≥ 0.95×', met: full / empty >= 0.95,
    },
    { bench: 'store scaling', metric: 'open a 100k-message store', baseline: '', subject: `${fixed(median(openMs))} ms`, ratio: '', target: '< 300 ms', met: median(openMs) < 300 },
    { bench: 'store scaling', metric: '100-message history page (latest / middle)', baseline: '', subject: `${median(latestMs).toFixed(2)} / ${median(middleMs).toFixed(2)} ms`, ratio: '', target: '' },
  ];
  return { rows, details: { store: { buildMs, snapshotBytes, ingest: runs, openMs, latestMs: median(latestMs), middleMs: median(middleMs) } } };
}
