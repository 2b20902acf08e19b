// `npm run bench`: every benchmark in one run, a table on stdout and the figures as JSON under
// bench/results/. Never fails on speed: a missed target reads "NO" in the table.
import * as path from 'path';
import { BENCH_LIMITS, ackLatency, fanoutLatency, reconnectStorm, relayThroughput } from './relay/relayBench';
import { storeScaling } from './storeBench';
import { clusterScaling } from './clusterBench';
import { keyDerivation } from './kdfBench';
import { cpaceHandshake } from './cpaceBench';
import { messageSignatures } from './signatureBench';
import { panel } from './panelBench';
import { roomSearch } from './searchBench';
import { Row, formatTable, machine, writeResults } from './report';

interface Section {
  readonly name: string;
  readonly run: (log: (line: string) => void) => Promise<{ rows: Row[]; details: Record<string, unknown> }>;
}

// Ack latency first: the relay runs leave megabytes of writeback behind that would stall its fsyncs.
const sections: Section[] = [
  { name: 'ack latency', run: ackLatency },
  { name: 'relay throughput', run: relayThroughput },
  { name: 'fan-out latency', run: fanoutLatency },
  { name: 'reconnect storm', run: reconnectStorm },
  { name: 'cluster', run: clusterScaling },
  { name: 'store scaling', run: storeScaling },
  { name: 'key derivation', run: keyDerivation },
  { name: 'handshake crypto', run: cpaceHandshake },
  { name: 'message signatures', run: messageSignatures },
  { name: 'panel', run: panel },
  { name: 'search', run: roomSearch },
];

async function main(): Promise<void> {
  // Section names (any prefix); flags (--store-sizes=...) are the sections' own.
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const host = machine();
  const log = (line: string) => console.log(line);
  log(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}, ${host.date}`);
  log(`secure server limits raised for the relay benchmarks: ${JSON.stringify(BENCH_LIMITS)} (default 20 frames/s, burst 40)`);
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const section of sections.filter((s) => only.length === 0 || only.some((name) => s.name.startsWith(name)))) {
    log(`\n== ${section.name}`);
    const started = Date.now();
    const figures = await section.run(log);
    rows.push(...figures.rows);
    Object.assign(details, figures.details);
    log(`  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  log(`\n${formatTable(rows)}`);
  const file = writeResults(path.join(__dirname, '..', '..', 'bench', 'results'), { machine: host, rows, details });
  log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
