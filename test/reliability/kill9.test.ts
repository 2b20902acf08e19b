import * as assert from 'assert';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { IdentityKey } from '../../src/crypto';
import { DIRECTORY_FILE } from '../../src/server/storedDirectory';
import { MemberKeys } from '../support/memberKeys';
import { sendPaced } from '../support/pacedSends';
import { RawClient } from '../support/rawClient';
import { spawnServer, startLine } from '../support/serverProcess';
import { storedBindings } from '../support/storedDirectory';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

const KILLS = 20;
const DIRECTORY_KILLS = 10;
/** New members claiming at once: under the 8 unauthenticated sockets one address may hold. */
const JOIN_LANES = 6;
const SENDERS = 4;

/** Torn last records the server truncated when it opened the store (a crash mid-append). */
const tornRecords = (stderr: string) => stderr.match(/journal-torn-record-truncated/g)?.length ?? 0;

/** The bindings in members.json; none before the first claim was written. */
const storedBindingsOrNone = (dataDir: string) =>
  fs.existsSync(path.join(dataDir, DIRECTORY_FILE)) ? storedBindings(dataDir, TEST_PASSWORD) : Promise.resolve(new Map<string, readonly string[]>());

describe('reliability: kill -9', function () {
  this.timeout(150_000);

  it('keeps every acknowledged message through 20 kills at random moments under load', async () => {
    const dataDir = tempDataDir();
    const acked = new Map<string, number>();
    const members = new MemberKeys();
    let torn = 0;
    let restarts = 0;
    for (let round = 0; round <= KILLS; round++) {
      const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
      const address = await startLine(server);
      restarts += round > 0 ? 1 : 0;
      const { client: reader } = await RawClient.join(address, TEST_PASSWORD, 'reader', members.of('reader'));
      const stored = await storedMessages(reader);
      for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} (seq ${seq}) survives kill ${round}`);
      reader.ws.terminate();
      if (round === KILLS) {
        server.child.kill('SIGTERM');
        assert.strictEqual((await server.exited).code, 0);
        torn += tornRecords(server.output.stderr);
        break;
      }
      const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => RawClient.join(address, TEST_PASSWORD, `s${i}`, members.of(`s${i}`)).then((j) => j.client)));
      // Each sender keeps a few messages in flight at a pace under the rate limit until its socket dies.
      const load = Promise.all(senders.map((sender) => sendPaced(sender, 'durable?', (id, seq) => acked.set(id.toString('hex'), seq))));
      const killer = setTimeout(() => server.child.kill('SIGKILL'), randomInt(50, 600));
      await load;
      clearTimeout(killer);
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
      torn += tornRecords(server.output.stderr);
    }
    console.log(`      kill -9: ${KILLS} kills at random moments, ${restarts} restarts (the store opened every time), ${acked.size} acked, 0 lost; ${torn} torn records truncated at restart`);
    assert.ok(acked.size >= KILLS * 10, `${acked.size} messages acknowledged`);
  });

  it('keeps every member binding that was welcomed through kills during directory writes', async () => {
    const dataDir = tempDataDir();
    /** Public key (base64) → the name its welcome acknowledged. */
    const welcomed = new Map<string, string>();
    let joined = 0;
    for (let round = 0; round <= DIRECTORY_KILLS; round++) {
      const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
      const address = await startLine(server);
      // The server opened the directory; each binding it welcomed is in it, and a name in it is refused to another key.
      const bindings = await storedBindingsOrNone(dataDir);
      for (const [key, name] of welcomed) assert.ok(bindings.get(key)?.includes(name), `${name}, welcomed before kill ${round}, is bound to its key`);
      if (welcomed.size > 0) {
        const intruder = await RawClient.connect(address);
        await intruder.present(TEST_PASSWORD, [...welcomed.values()][randomInt(welcomed.size)]);
        await intruder.error('name-taken');
        intruder.ws.terminate();
      }
      if (round === DIRECTORY_KILLS) {
        server.child.kill('SIGTERM');
        assert.strictEqual((await server.exited).code, 0);
        break;
      }
      // New members join, a few at a time (under the per-address cap on unauthenticated sockets); the
      // kill lands after a random number of welcomes, while the other lanes' claims are being written.
      const killAfter = welcomed.size + randomInt(3, 12);
      const lane = async () => {
        for (;;) {
          const identity = IdentityKey.generate();
          const name = `m${joined++}`;
          const { client } = await RawClient.join(address, TEST_PASSWORD, name, identity);
          welcomed.set(identity.publicKey.toString('base64'), name);
          client.ws.terminate();
          if (welcomed.size >= killAfter) server.child.kill('SIGKILL');
        }
      };
      await Promise.all(Array.from({ length: JOIN_LANES }, () => lane().catch(() => undefined)));
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
    }
    console.log(`      kill -9 during directory writes: ${DIRECTORY_KILLS} kills, ${joined} claims made, ${welcomed.size} welcomed, 0 lost`);
    assert.ok(welcomed.size >= DIRECTORY_KILLS * 3, `${welcomed.size} members welcomed`);
  });
});
