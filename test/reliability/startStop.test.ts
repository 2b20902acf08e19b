import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { EXIT_CODES } from '../../src/server/cli';
import { LOCK_FILE } from '../../src/server/lock';
import { RawClient, within } from '../support/rawClient';
import { spawnServer, startLine } from '../support/serverProcess';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

const SIGTERM_STARTS = 10;
const STARTS = 20;
const MESSAGES = 30;
/** Long enough for every contender to be running before the race starts, on a loaded machine. */
const RACE_DELAY_MS = 3_000;

/** The pid of a process that has exited: a lock naming it is stale. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('reliability: starting and stopping', function () {
  this.timeout(120_000);

  it('stops gracefully on a SIGTERM sent the moment the address line appears, every time', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < SIGTERM_STARTS; i++) {
      const dataDir = tempDataDir();
      const server = spawnServer(['--port', '0', '--data', dataDir], TEST_PASSWORD);
      server.child.stdout!.once('data', () => server.child.kill('SIGTERM'));
      const { code, signal } = await server.exited;
      outcomes.push(`${code ?? signal}`);
      assert.deepStrictEqual({ code, signal }, { code: EXIT_CODES.ok, signal: null }, `start ${i}: ${server.output.stderr}`);
      // A graceful stop leaves the room alone: no lock (a default-action kill would leave server.lock
      // behind) and no store file, since the first journal file is created by the first message.
      assert.deepStrictEqual(fs.readdirSync(dataDir).sort(), ['room.json'], `start ${i} left more than its room behind`);
    }
    console.log(`      SIGTERM at the start line: ${SIGTERM_STARTS} starts, exit statuses ${[...new Set(outcomes)].join(', ')}; no lock left behind`);
  });

  it('gives the lock to exactly one of 20 processes that take it at the same instant over a stale lock, every round', async () => {
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const dataDir = tempDataDir();
      fs.writeFileSync(path.join(dataDir, LOCK_FILE), `${await deadPid()}\n`);
      const goAt = Date.now() + RACE_DELAY_MS;
      const contenders = Array.from({ length: STARTS }, () => spawn(process.execPath, [path.join(__dirname, 'support', 'lockContender.js'), dataDir, String(goAt)]));
      try {
        const outcomes = await within(Promise.all(contenders.map((contender) => new Promise<string>((resolve) => {
          let out = '';
          contender.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString('utf8');
            if (out.endsWith('\n')) resolve(out.trim());
          });
        }))), 60_000, 'every contender\'s outcome');
        rounds.push(outcomes.filter((outcome) => outcome === 'won').length);
      } finally {
        contenders.forEach((contender) => contender.kill('SIGKILL'));
      }
    }
    console.log(`      lock race: ${STARTS} processes at the same instant over a stale lock, concurrent holders per round: ${rounds.join(', ')}`);
    assert.deepStrictEqual(rounds, [1, 1, 1]);
  });

  it('lets exactly one of 20 simultaneous starts on one data directory (stale lock in place) win, the others exit data-dir-locked leaving nothing behind, and loses nothing acknowledged', async () => {
    const dataDir = tempDataDir();
    // The data directory of a server that was killed: its lock names a process that is gone.
    const first = spawnServer(['--port', '0', '--data', dataDir], TEST_PASSWORD);
    await startLine(first);
    first.child.kill('SIGKILL');
    await first.exited;
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), `${await deadPid()}\n`);
    const started = Date.now();
    const servers = Array.from({ length: STARTS }, () => spawnServer(['--port', '0', '--data', dataDir], TEST_PASSWORD));
    // A failed assertion must not leave a winner running: mocha would wait for it for ever.
    const spawned = [...servers];
    try {
      const results = await Promise.all(servers.map((server) => Promise.race([
        startLine(server, 60_000).then((address) => ({ address, server })),
        server.exited.then(({ code }) => ({ code })),
      ])));
      const winners = results.filter((result): result is { address: string; server: typeof servers[number] } => 'address' in result);
      const losers = results.flatMap((result, index) => ('code' in result ? [{ code: result.code, stderr: servers[index].output.stderr }] : []));
      const refused = losers.filter((loser) => loser.code === EXIT_CODES.dataDirLocked).length;
      console.log(`      20 simultaneous starts over a stale lock: ${winners.length} listening, ${refused} refused with exit ${EXIT_CODES.dataDirLocked} (data-dir-locked), in ${Date.now() - started} ms`);
      assert.strictEqual(winners.length, 1, `winners: ${winners.map((w) => w.address).join(', ')}`);
      assert.deepStrictEqual(losers.filter((loser) => loser.code !== EXIT_CODES.dataDirLocked), []);
      assert.strictEqual(refused, STARTS - 1);
      // The losers took their staging and breaking files with them: only the winner's lock is left.
      assert.deepStrictEqual(fs.readdirSync(dataDir).filter((name) => name.startsWith(LOCK_FILE)), [LOCK_FILE]);

      const { client } = await RawClient.join(winners[0].address, TEST_PASSWORD, 'alice');
      const acked = new Map<string, number>();
      for (let i = 0; i < MESSAGES; i++) {
        const sealed = client.seal(`message ${i}`);
        acked.set(sealed.messageId.toString('hex'), (await client.sendAndAck(sealed)).seq);
      }
      await client.close();
      winners[0].server.child.kill('SIGTERM');
      assert.strictEqual((await winners[0].server.exited).code, EXIT_CODES.ok);

      const again = spawnServer(['--port', '0', '--data', dataDir], TEST_PASSWORD);
      spawned.push(again);
      const reader = (await RawClient.join(await startLine(again), TEST_PASSWORD, 'reader')).client;
      const stored = await storedMessages(reader);
      for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} is stored`);
      await reader.close();
      again.child.kill('SIGTERM');
      assert.strictEqual((await again.exited).code, EXIT_CODES.ok);
    } finally {
      for (const server of spawned) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  });
});
