import * as assert from 'assert';
import { randomInt } from 'crypto';
import { RawClient } from '../support/rawClient';
import { spawnServer, startLine } from '../support/serverProcess';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

const KILLS = 20;
const SENDERS = 4;
/** Sends in flight per connection, so a kill finds records mid-commit. */
const IN_FLIGHT = 4;
/** dist/server.js runs with the default limits: 20 frames/s per connection after a burst of 40. */
const SEND_INTERVAL_MS = 1000 / 18;

/** Torn last records the server truncated when it opened the store (a crash mid-append). */
const tornRecords = (stderr: string) => stderr.match(/journal-torn-record-truncated/g)?.length ?? 0;

describe('reliability: kill -9', function () {
  this.timeout(150_000);

  it('keeps every acknowledged message through 20 kills at random moments under load', async () => {
    const dataDir = tempDataDir();
    const acked = new Map<string, number>();
    let torn = 0;
    let restarts = 0;
    for (let round = 0; round <= KILLS; round++) {
      const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
      const address = await startLine(server);
      restarts += round > 0 ? 1 : 0;
      const { client: reader } = await RawClient.join(address, TEST_PASSWORD, 'reader');
      const stored = await storedMessages(reader);
      for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} (seq ${seq}) survives kill ${round}`);
      reader.ws.terminate();
      if (round === KILLS) {
        server.child.kill('SIGTERM');
        assert.strictEqual((await server.exited).code, 0);
        torn += tornRecords(server.output.stderr);
        break;
      }
      const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => RawClient.join(address, TEST_PASSWORD, `s${i}`).then((j) => j.client)));
      // Each sender keeps a few messages in flight at a pace under the rate limit until its socket dies.
      const pump = async (sender: RawClient) => {
        const lane = async () => {
          for (;;) {
            const sealed = sender.seal('durable?');
            sender.send({ type: 'send', envelope: sealed.envelope });
            const paced = new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS * IN_FLIGHT));
            const outcome = await sender.outcome(sealed.messageId);
            if (outcome.type === 'ack') acked.set(sealed.messageId.toString('hex'), outcome.seq);
            await paced;
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, lane)).catch(() => undefined);
      };
      const load = Promise.all(senders.map(pump));
      const killer = setTimeout(() => server.child.kill('SIGKILL'), randomInt(50, 600));
      await load;
      clearTimeout(killer);
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
      torn += tornRecords(server.output.stderr);
    }
    console.log(`      kill -9: ${KILLS} kills at random moments, ${restarts} restarts (the store opened every time), ${acked.size} acked, 0 lost; ${torn} torn records truncated at restart`);
    assert.ok(acked.size >= KILLS * 10, `${acked.size} messages acknowledged`);
  });
});
