// `npm test`: runs every stage in order, each in its own process group with a time limit, prints
// `<stage>: N passed, N failed` after each test stage and the totals alone on the last line, and
// exits non-zero on any failure. A stage that fails without test counts (type errors, a crash, a
// timeout) counts as one failure, so the totals never read "0 failed" on a failed run.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from './codeServer';
import { PGID_DIR_ENV, spawnGroup, sweepRecordedGroups } from './processes';
import { readTally, Tally, TALLY_ENV } from './tally';
import { testFiles } from './testFiles';
import { withTimeout } from './timeout';

interface Stage {
  readonly name: string;
  readonly command: string;
  readonly args: string[];
  readonly timeoutMin: number;
  /** A test stage reports counts through the tally file; it may declare where its test files are. */
  readonly tests?: { dir: string };
  /** Later stages cannot run when this one failed. */
  readonly required?: boolean;
}

const mocha = path.join(repoRoot, 'node_modules', '.bin', 'mocha');
const node = process.execPath;
const out = path.join(repoRoot, 'out');

const stages: Stage[] = [
  { name: 'check', command: 'sh', args: ['-c', 'npm run typecheck && npm run lint'], timeoutMin: 5 },
  { name: 'build', command: 'npm', args: ['run', 'build'], timeoutMin: 3, required: true },
  { name: 'unit', command: mocha, args: [], timeoutMin: 10, tests: { dir: path.join(out, 'test', 'unit') } },
  { name: 'reliability', command: mocha, args: ['--config', 'test/reliability/.mocharc.json'], timeoutMin: 5, tests: { dir: path.join(out, 'test', 'reliability') } },
  // Real redis-server processes (Debian's package, which .ci/run installs) behind real server nodes.
  { name: 'cluster', command: mocha, args: ['--config', 'test/cluster/.mocharc.json'], timeoutMin: 5, tests: { dir: path.join(out, 'test', 'cluster') } },
  { name: 'install', command: node, args: [path.join(__dirname, 'install.js')], timeoutMin: 20, required: true },
  { name: 'vscode', command: node, args: [path.join(__dirname, 'runVscodeTests.js')], timeoutMin: 5, tests: { dir: path.join(out, 'test', 'vscode') } },
  { name: 'e2e', command: mocha, args: ['--config', 'test/e2e/.mocharc.json'], timeoutMin: 14, tests: { dir: path.join(out, 'test', 'e2e') } },
];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-chat-test-run-'));
const pgidDir = path.join(scratch, 'groups');
fs.mkdirSync(pgidDir);
// Whatever way this process ends, no code-server or Chromium started by a stage outlives it.
process.on('exit', () => {
  sweepRecordedGroups(pgidDir);
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Runs one stage; resolves with its counts (one failure when it failed without counting). */
async function runStage(stage: Stage): Promise<Tally> {
  const tallyFile = path.join(scratch, `${stage.name}.json`);
  const started = Date.now();
  console.log(`\n==> ${stage.name}`);
  const group = spawnGroup(stage.command, stage.args, {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, [PGID_DIR_ENV]: pgidDir, [TALLY_ENV]: tallyFile },
  });
  let code: number | null;
  try {
    code = await withTimeout(group.exited, stage.timeoutMin * 60000, `${stage.name}: timed out after ${stage.timeoutMin} min; stopped it`);
  } catch (error) {
    console.error((error as Error).message);
    code = null;
  }
  await group.stop();
  sweepRecordedGroups(pgidDir);
  console.log(`--- ${stage.name}: exit ${code ?? 'killed'}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const tally = readTally(tallyFile);
  if (stage.tests && !tally) console.error(`${stage.name}: the stage reported no test counts`);
  const counted = tally ?? { passes: 0, failures: 0 };
  if ((code !== 0 || (stage.tests && !tally)) && counted.failures === 0) counted.failures = 1;
  return counted;
}

async function main(): Promise<number> {
  const totals: Tally = { passes: 0, failures: 0 };
  for (const stage of stages) {
    let tally: Tally;
    if (stage.tests && testFiles(stage.tests.dir).length === 0) {
      console.log(`\n==> ${stage.name}: no test files in ${path.relative(repoRoot, stage.tests.dir)}`);
      tally = { passes: 0, failures: 0 };
    } else {
      tally = await runStage(stage);
    }
    if (stage.tests) console.log(`${stage.name}: ${tally.passes} passed, ${tally.failures} failed`);
    totals.passes += tally.passes;
    totals.failures += tally.failures;
    if (stage.required && tally.failures > 0) {
      console.error(`${stage.name} failed: the stages after it cannot run`);
      break;
    }
  }
  console.log(`${totals.passes} passed, ${totals.failures} failed`);
  return totals.failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
