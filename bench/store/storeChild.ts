// One store measured in its own process (forked by storeBench.ts), so that its RSS is its own:
// open, history pages (latest and oldest), an ingest long enough to seal several segments while the
// event loop's delay and every ack are timed, then the stop. The envelopes to ingest come sealed
// from the parent in one file (storeEnvelopes.ts): this process holds them, but not the garbage of
// sealing them, which had been 85 MiB of its RSS.
import * as fs from 'fs';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { readEnvelopeHeader } from '../../src/crypto';
import { MAX_FRAME_BYTES } from '../../src/protocol/wire';
import { DEFAULT_LIMITS } from '../../src/server/config';
import type { Logger } from '../../src/server/logger';
import { MessageStore } from '../../src/server/store';
import type { AcceptedEnvelope } from '../../src/server/roomLog';
import { percentile } from '../stats';
import { splitEnvelopes } from './storeEnvelopes';

export interface StoreRunRequest {
  readonly dataDir: string;
  /** The envelopes to ingest, sealed by the parent (storeEnvelopes.ts). */
  readonly envelopesFile: string;
  /** Appends in flight at once, as many connections' messages would be. */
  readonly window: number;
  readonly pages: number;
  /**
   * Messages of the file ingested first, not measured: a server that has run for a while. A fresh
   * process spends its first seals compiling and tiering up sql.js's WebAssembly (per message at
   * first several times what a warm sealer costs, see bench/floor.ts).
   */
  readonly warmUp: number;
}

export interface StoreRunResult {
  readonly openMs: number;
  /** CPU of the start, all threads: what the start costs whatever else the machine runs. */
  readonly openCpuMs: number;
  readonly rssAfterOpenMiB: number;
  readonly latestPageP99Ms: number;
  readonly oldestPageP99Ms: number;
  readonly oldestColdPageMs: number;
  readonly ingestPerSecond: number;
  readonly worstStallMs: number;
  readonly worstAckMs: number;
  /** Seals finished during the ingest and the wait for them after it. */
  readonly sealed: number;
  readonly closeMs: number;
  readonly peakRssMiB: number;
  /** CPU of this process (all threads) per ingested message. */
  readonly cpuUsPerMessage: number;
}

const MiB = 2 ** 20;

function accepted(envelope: Buffer): AcceptedEnvelope {
  const header = readEnvelopeHeader(envelope)!;
  return { messageId: header.messageId, messageIv: header.messageIv, envelope };
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}

async function run(request: StoreRunRequest): Promise<StoreRunResult> {
  const all = splitEnvelopes(fs.readFileSync(request.envelopesFile)).map(accepted);
  const warmUp = all.slice(0, request.warmUp);
  const messages = all.slice(request.warmUp);
  let sealed = 0;
  const logger: Logger = { log: (_level, event) => void (event === 'segment-sealed' && (sealed += 1)) };
  let store: MessageStore | undefined;
  const openCpu = process.cpuUsage();
  const openMs = await timed(async () => (store = await MessageStore.open({
    dataDir: request.dataDir, segmentMessages: DEFAULT_LIMITS.segmentMessages, segmentBytes: DEFAULT_LIMITS.segmentBytes,
    freshnessMs: DEFAULT_LIMITS.maxClockSkewMs, logger,
    onFatal: (error) => { throw error; },
  })));
  const openCpuUsed = process.cpuUsage(openCpu);
  const opened = store!;
  const rssAfterOpenMiB = process.memoryUsage().rss / MiB;
  const oldestColdPageMs = await timed(() => opened.history({ after: 0, limit: 100 }, MAX_FRAME_BYTES));
  const latest: number[] = [];
  const oldest: number[] = [];
  for (let i = 0; i < request.pages; i++) {
    latest.push(await timed(() => opened.history({ limit: 100 }, MAX_FRAME_BYTES)));
    oldest.push(await timed(() => opened.history({ after: 0, limit: 100 }, MAX_FRAME_BYTES)));
  }

  /** The worst ack of `batch`, appended `request.window` at a time as many connections would. */
  const ingest = async (batch: readonly AcceptedEnvelope[]): Promise<number> => {
    let worst = 0;
    let next = 0;
    const lane = async () => {
      while (next < batch.length) {
        const message = batch[next++];
        if (opened.holdsRecent(message.messageId, message.messageIv)) throw new Error('a fresh message reads as stored');
        const sent = performance.now();
        await new Promise<void>((resolve, reject) => opened.append(message, (error) => (error ? reject(error) : resolve())));
        worst = Math.max(worst, performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: request.window }, lane));
    return worst;
  };
  await ingest(warmUp);
  await opened.idle();

  const delay = monitorEventLoopDelay({ resolution: 5 });
  const cpu = process.cpuUsage();
  delay.enable();
  const started = performance.now();
  const worstAckMs = await ingest(messages);
  const ingestPerSecond = (messages.length / (performance.now() - started)) * 1000;
  // The seals the ingest started finish under the same watch: their last step runs on the event loop.
  await opened.idle();
  const used = process.cpuUsage(cpu);
  delay.disable();
  const closeMs = await timed(() => opened.close());
  return {
    openMs, openCpuMs: (openCpuUsed.user + openCpuUsed.system) / 1000, rssAfterOpenMiB,
    latestPageP99Ms: percentile(latest, 99), oldestPageP99Ms: percentile(oldest, 99), oldestColdPageMs,
    ingestPerSecond, worstStallMs: delay.max / 1e6, worstAckMs, sealed, closeMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuUsPerMessage: (used.user + used.system) / messages.length,
  };
}

process.once('message', (request: StoreRunRequest) => {
  run(request).then(
    (result) => process.send!({ ok: true, result }, () => process.exit(0)),
    (error: Error) => process.send!({ ok: false, message: error.stack ?? error.message }, () => process.exit(1)),
  );
});
