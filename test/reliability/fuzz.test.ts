import * as assert from 'assert';
import { IdentityKey, epochKeys, newEpochSecret } from '../../src/crypto';
import type { Limits } from '../../src/server/config';
import { RawClient } from '../support/rawClient';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, TestServer, UNLIMITED_RATES, startTestServer } from '../support/testServer';
import { Conversation } from './support/conversation';
import { FuzzFrame, FuzzFrames } from './support/fuzzFrames';
import { SEED_ENV, SeededRandom } from './support/seededRandom';

const AUTHENTICATED_LANES = 4;
const FRAMES_PER_LANE = 24_750;
const UNAUTHENTICATED_FRAMES = 1_000;
const GOOD_MESSAGES = 200;
const SEEDED_MESSAGES = 10;
/** Frames in flight per socket: each one is answered by exactly one error frame. */
const WINDOW = 32;
/** Raised so that every frame reaches the parsers instead of the rate limit or the bad-frame cut-off. */
const FUZZ_LIMITS: Partial<Limits> = { ...UNLIMITED_RATES, maxBadFrames: 1_000_000_000, maxAuthFailures: 1_000_000_000 };
/** What the server answers a frame with (never a broadcast to the member). */
const ANSWERS = new Set(['error', 'ack', 'history', 'welcome']);

class Tally {
  tried = 0;
  accepted: string[] = [];
  readonly outcomes = new Map<string, number>();

  count(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  get rejected(): number {
    return [...this.outcomes.values()].reduce((sum, n) => sum + n, 0);
  }
}

function sendFrame(client: RawClient, frame: FuzzFrame): void {
  client.ws.send(frame.data, { binary: frame.binary });
}

describe('reliability: fuzz', function () {
  this.timeout(150_000);
  let server: TestServer;
  let conversation: Conversation | undefined;

  afterEach(async () => {
    conversation?.close();
    await server.close();
  });

  it('rejects 100,000 random and malformed frames, stays up and lets a good client chat throughout', async () => {
    const random = SeededRandom.fromEnvironment();
    console.log(`      fuzz seed ${random.seed.toString('hex')} (replay with ${SEED_ENV}=<seed>)`);
    server = await startTestServer({ limits: FUZZ_LIMITS });
    const { client: seeder } = await RawClient.join(server.address, TEST_PASSWORD, 'seeder');
    const stored: Buffer[] = [];
    for (let i = 0; i < SEEDED_MESSAGES; i++) {
      const sealed = seeder.seal(`seed ${i}`);
      await seeder.sendAndAck(sealed);
      stored.push(sealed.envelope);
    }
    // Every lane is the same member on its own connection, and comes back after each closing frame
    // as that member: one name, one key (another key would find the name taken).
    const fuzzer = IdentityKey.generate();
    const frames = new FuzzFrames(random, {
      stored, roomKeys: seeder.keys!, foreignKeys: epochKeys(newEpochSecret(), seeder.keys!.roomId, seeder.keys!.epoch), identity: fuzzer, username: 'fuzzer',
    });
    conversation = await Conversation.open(server.address);
    const chat = conversation;
    const total = AUTHENTICATED_LANES * FRAMES_PER_LANE + UNAUTHENTICATED_FRAMES;
    const tally = new Tally();
    // The good client speaks as the fuzzing progresses: one message per 1/200th of the frames.
    const progressed = () => {
      tally.tried += 1;
      while (chat.sent < GOOD_MESSAGES && chat.sent < (tally.tried / total) * GOOD_MESSAGES) chat.say();
    };

    const authenticatedLane = async () => {
      let client = (await RawClient.join(server.address, TEST_PASSWORD, 'fuzzer', fuzzer)).client;
      let outstanding = 0;
      const drain = async () => {
        for (; outstanding > 0; outstanding--) {
          const answer = await client.take((frame) => ANSWERS.has(frame.type), 'the answer to a fuzz frame');
          if (answer.type === 'error') tally.count(answer.code);
          else tally.accepted.push(answer.type);
        }
        // Relayed messages and presence are not answers; drop them so the inbox stays small.
        client.inbox.splice(0);
      };
      for (let sent = 0; sent < FRAMES_PER_LANE; sent++) {
        const frame = frames.next();
        progressed();
        if (!frame.closes) {
          sendFrame(client, frame);
          if (++outstanding === WINDOW) await drain();
          continue;
        }
        // A frame ws itself refuses closes the socket: it goes alone, so the others' answers all count.
        await drain();
        sendFrame(client, frame);
        tally.count(`closed ${(await client.waitClosed()).code}`);
        client = (await RawClient.join(server.address, TEST_PASSWORD, 'fuzzer', fuzzer)).client;
      }
      await drain();
      await client.close();
    };

    // Before authentication every frame ends the connection: one connection per frame.
    const unauthenticatedLane = async () => {
      for (let i = 0; i < UNAUTHENTICATED_FRAMES; i++) {
        const frame = frames.next();
        progressed();
        const client = await RawClient.connect(server.address);
        await client.next('hello');
        sendFrame(client, frame);
        const { code } = await client.waitClosed();
        tally.count(`closed before auth ${code}`);
      }
    };

    await Promise.all([...Array.from({ length: AUTHENTICATED_LANES }, authenticatedLane), unauthenticatedLane()]);
    while (chat.sent < GOOD_MESSAGES) chat.say();
    await chat.settled();

    const after = await storedMessages(seeder);
    const outcomes = [...tally.outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ${n}`).join(', ');
    console.log(`      fuzz: ${tally.tried} frames tried, ${tally.rejected} rejected, ${tally.accepted.length} accepted, good client ${chat.summary()}; store ${SEEDED_MESSAGES} → ${after.size}`);
    console.log(`      fuzz outcomes: ${outcomes}`);
    assert.deepStrictEqual(tally.accepted, []);
    assert.strictEqual(tally.tried, total);
    assert.strictEqual(tally.rejected, total);
    assert.strictEqual(after.size, SEEDED_MESSAGES + GOOD_MESSAGES, 'only the seeded and the good client\'s messages are stored');
    assert.deepStrictEqual([...after.values()].sort((a, b) => a - b), Array.from({ length: after.size }, (_, i) => i + 1));
    await seeder.close();
  });
});
