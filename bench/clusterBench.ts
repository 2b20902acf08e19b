// A room served by 1, 2 and 3 cluster nodes (dist/server.js --cluster, one process each) over one
// redis-server, beside the embedded server: messages per second to each of 50 receivers spread over
// the nodes, and the p99 of send → arrival with 50 members sending a message a second each. Every
// process shares the one machine: on 2 cores the nodes compete with Redis and the load process for
// CPU, so these figures show the cost of the shared log, not what more machines would add.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterNode, startNode, stopNode } from '../test/support/clusterNode';
import { RedisServer } from '../test/support/redisServer';
import { ServerProcess, spawnServer, startLine } from '../test/support/serverProcess';
import { TEST_PASSWORD, tempDataDir } from '../test/support/testServer';
import { BENCH_LIMITS, Loaded, runLoad } from './relay/relayBench';
import type { FanoutResult, Target, ThroughputResult } from './relay/protocol';
import { Row, fixed, ratio } from './report';
import { percentile } from './stats';

const RECEIVERS = 50;
const MESSAGES = 1_500;
const WINDOW = 128;
const TEXT_BYTES = 200;
const FANOUT_CLIENTS = 50;
const FANOUT_MS = 5_000;
const NODE_COUNTS = [1, 2, 3];

interface Figures {
  readonly rate: number;
  readonly p99: number;
}

/** The limits file every server of this section starts with (rate limits out of the way). */
function limitsFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secure-chat-bench-')), 'limits.json');
  fs.writeFileSync(file, JSON.stringify(BENCH_LIMITS));
  return file;
}

async function measure(target: Target, log: (line: string) => void, label: string): Promise<Figures> {
  const throughput: Loaded<ThroughputResult> = await runLoad({
    kind: 'throughput', target, receivers: RECEIVERS, messages: MESSAGES, window: WINDOW, textBytes: TEXT_BYTES, maxMs: 30_000,
  }, 'throughput', 90_000);
  const rate = (throughput.result.deliveries / RECEIVERS / throughput.result.ms) * 1000;
  const fanout: Loaded<FanoutResult> = await runLoad({
    kind: 'fanout', target, clients: FANOUT_CLIENTS, perSecond: 1, durationMs: FANOUT_MS, textBytes: TEXT_BYTES,
  }, 'fanout', FANOUT_MS + 60_000);
  const p99 = percentile(fanout.result.latenciesMs, 99);
  log(`  ${label}: ${fixed(rate)} msg/s to each of ${RECEIVERS} (${throughput.result.completed}/${MESSAGES} complete); `
    + `${FANOUT_CLIENTS} x 1 msg/s p50 ${percentile(fanout.result.latenciesMs, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (${fanout.result.latenciesMs.length}/${fanout.result.expected} delivered)`);
  return { rate, p99 };
}

async function embedded(config: string, log: (line: string) => void): Promise<Figures> {
  const dataDir = tempDataDir();
  const server: ServerProcess = spawnServer(['--port', '0', '--data', dataDir, '--config', config], TEST_PASSWORD);
  try {
    const url = await startLine(server);
    return await measure({ url, password: TEST_PASSWORD }, log, 'embedded (no Redis)');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function cluster(count: number, config: string, log: (line: string) => void): Promise<Figures> {
  const redis = await RedisServer.start();
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await startNode(redis, nodes[0], ['--config', config]));
    const urls = nodes.map((node) => node.address);
    return await measure({ url: urls[0], password: TEST_PASSWORD, nodes: urls }, log, `${count} node(s)`);
  } finally {
    await Promise.all(nodes.map(stopNode));
    await redis.stop();
  }
}

export async function clusterScaling(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  log(`  one machine (${os.cpus().length} cores) for every node, Redis (appendfsync always) and the load: not a multi-machine figure`);
  const config = limitsFile();
  try {
    const alone = await embedded(config, log);
    const rows: Row[] = [];
    const details: Record<string, unknown> = { embedded: alone };
    for (const count of NODE_COUNTS) {
      const figures = await cluster(count, config, log);
      details[`nodes-${count}`] = figures;
      rows.push(
        {
          bench: 'cluster (one 2-core machine)', metric: `msgs/s to each of ${RECEIVERS} receivers, ${count} node(s)`,
          baseline: `${fixed(alone.rate)} (embedded)`, subject: fixed(figures.rate), ratio: ratio(figures.rate, alone.rate), target: '',
        },
        {
          bench: 'cluster (one 2-core machine)', metric: `delivery p99, ${FANOUT_CLIENTS} members x 1 msg/s, ${count} node(s)`,
          baseline: `${alone.p99.toFixed(2)} ms (embedded)`, subject: `${figures.p99.toFixed(2)} ms`, ratio: ratio(figures.p99, alone.p99), target: '',
        },
      );
    }
    return { rows, details };
  } finally {
    fs.rmSync(path.dirname(config), { recursive: true, force: true });
  }
}
