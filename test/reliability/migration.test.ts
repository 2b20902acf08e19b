import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { randomInt } from 'crypto';
import { listSegments } from '../../src/server/segments';
import { LEGACY_SNAPSHOT_FILE } from '../../src/server/store';
import { writeLegacyStore } from '../support/legacyStore';
import { RawClient, within } from '../support/rawClient';
import { spawnServer, startLine } from '../support/serverProcess';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

/** Four segments' worth at the default 10,000 per segment: the migration takes a few seconds. */
const LEGACY_MESSAGES = 40_000;
const IN_JOURNAL = 25;
const MAX_KILLS = 6;

/** Resolves once more than `count` segments exist, or the server exits (having finished). */
function progress(dataDir: string, count: number, exited: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    void exited.then(() => (done = true));
    const poll = () => (done || listSegments(dataDir).length > count ? resolve() : setTimeout(poll, 20));
    poll();
  });
}

describe('reliability: kill -9 during the migration of the earlier layout', function () {
  this.timeout(240_000);

  it('loses no message whenever the migration is killed, and resumes where it stopped', async () => {
    const dataDir = tempDataDir();
    const written = await writeLegacyStore(dataDir, LEGACY_MESSAGES, IN_JOURNAL);
    const snapshot = path.join(dataDir, LEGACY_SNAPSHOT_FILE);
    const segmentsAtKill: number[] = [];
    for (let kill = 0; kill < MAX_KILLS && fs.existsSync(snapshot); kill++) {
      const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
      await within(new Promise<void>((resolve) => {
        const check = () => server.output.stderr.includes('store-migration-started') && resolve();
        server.child.stderr!.on('data', check);
        check();
      }), 30_000, 'the migration to start');
      // The first kill lands before any segment is written; each later one once the migration has
      // written at least one more segment than before, at a random moment after that.
      const before = listSegments(dataDir).length;
      if (kill > 0) await within(progress(dataDir, before, server.exited), 60_000, 'another segment');
      await new Promise((resolve) => setTimeout(resolve, randomInt(0, kill === 0 ? 300 : 600)));
      server.child.kill('SIGKILL');
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
      // Whatever the moment: the snapshot is whole until segments hold all of it, and they tile.
      const segments = listSegments(dataDir);
      segmentsAtKill.push(segments.length);
      segments.forEach((segment, i) => assert.strictEqual(segment.firstSeq, i === 0 ? 1 : segments[i - 1].lastSeq + 1));
      if (fs.existsSync(snapshot)) assert.ok((segments.at(-1)?.lastSeq ?? 0) <= LEGACY_MESSAGES);
      else assert.strictEqual(segments.at(-1)?.lastSeq, LEGACY_MESSAGES);
    }
    const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
    const address = await startLine(server, 60_000);
    const { client } = await RawClient.join(address, TEST_PASSWORD, 'reader');
    const stored = await storedMessages(client, 1000 / 18);
    client.ws.terminate();
    server.child.kill('SIGTERM');
    assert.strictEqual((await server.exited).code, 0);
    console.log(`      migration: ${segmentsAtKill.length} kill -9s during it (segments written at each: ${segmentsAtKill.join(', ')}), then ${stored.size} messages, 0 lost`);
    assert.strictEqual(fs.existsSync(snapshot), false);
    assert.strictEqual(stored.size, written.size);
    for (const [id, seq] of written) assert.strictEqual(stored.get(id), seq, `message ${id} keeps seq ${seq}`);
    assert.ok(segmentsAtKill.length >= 1);
  });
});
