import * as assert from 'assert';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { peekMessageId } from '../../src/crypto';
import { decodeSegmentKeys, keysFileName } from '../../src/server/segmentKeys';
import { listSegments } from '../../src/server/segments';
import { MemberKeys } from '../support/memberKeys';
import { sendPaced } from '../support/pacedSends';
import { RawClient } from '../support/rawClient';
import { spawnServer, startLine } from '../support/serverProcess';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

const KILLS = 8;
/** Small segments, so that every round seals several and a kill finds a seal's writes in flight. */
const SEGMENT_MESSAGES = 20;

describe('reliability: kill -9 while segments and their key files are written', function () {
  this.timeout(150_000);

  it('loses no acknowledged message, starts with an intact key file for every segment, and refuses every replay', async () => {
    const dataDir = tempDataDir();
    const members = new MemberKeys();
    const acked = new Map<string, { seq: number; envelope: Buffer }>();
    let rebuilt = 0;
    for (let round = 0; round <= KILLS; round++) {
      const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--segment-messages', String(SEGMENT_MESSAGES)], TEST_PASSWORD);
      const address = await startLine(server);
      // The start has read every segment's keys (all within the replay window): each file is intact now.
      for (const segment of listSegments(dataDir)) {
        const bytes = fs.readFileSync(path.join(dataDir, keysFileName(segment)));
        assert.notStrictEqual(decodeSegmentKeys(bytes, segment), null, `${keysFileName(segment)} is intact after kill ${round}`);
      }
      const { client: sender } = await RawClient.join(address, TEST_PASSWORD, 'sender', members.of('sender'));
      const stored = await storedMessages(sender);
      for (const [id, { seq }] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} (seq ${seq}) survives kill ${round}`);
      // Resent by their own sender, the messages acknowledged so far are replays, whichever segment or journal holds them.
      // At most 8, spread over the history: within the rate limit's burst.
      const all = [...acked.values()];
      const sample = all.filter((_, i) => i % Math.max(1, Math.ceil(all.length / 8)) === 0);
      for (const { envelope } of sample) {
        sender.send({ type: 'send', envelope });
        const outcome = await sender.outcome(peekMessageId(envelope)!);
        assert.strictEqual(outcome.type === 'error' ? outcome.code : 'ack', 'replay');
      }
      if (round === KILLS) {
        await sender.close();
        server.child.kill('SIGTERM');
        assert.strictEqual((await server.exited).code, 0);
        rebuilt += server.output.stderr.match(/segment-keys-rebuilt/g)?.length ?? 0;
        break;
      }
      const load = sendPaced(sender, 'sealed?', (id, seq, envelope) => acked.set(id.toString('hex'), { seq, envelope }));
      const killer = setTimeout(() => server.child.kill('SIGKILL'), randomInt(600, 1800));
      await load;
      clearTimeout(killer);
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
      rebuilt += server.output.stderr.match(/segment-keys-rebuilt/g)?.length ?? 0;
    }
    const segments = listSegments(dataDir).length;
    console.log(`      kill -9 while sealing: ${KILLS} kills, ${acked.size} acked, 0 lost, ${segments} segments, ${rebuilt} key files rebuilt at a start`);
    assert.ok(segments >= 3, `${segments} segments sealed`);
  });
});
