import * as assert from 'assert';
import { CryptoError } from '../../src/crypto';
import { CLOSE_CODES } from '../../src/protocol/wire';
import { RawClient } from '../support/rawClient';
import { TEST_PASSWORD, TestServer, startTestServer } from '../support/testServer';

const MAX_FAILURES = 5;
const BACKOFF_MS = 1_500;

describe('reliability: brute force', function () {
  this.timeout(30_000);
  let server: TestServer;

  afterEach(async () => server.close());

  it('backs an address off after 5 failed passwords and refuses even the right one until the back-off ends', async () => {
    server = await startTestServer({ limits: { maxAuthFailures: MAX_FAILURES, backoffMs: BACKOFF_MS } });
    /**
     * One connection that runs CPace with `password`: 'welcome' when it got in, 'unverified' when the
     * server's confirmation did not check (a wrong guess: the client leaves, as the real one does),
     * else the close code of the server's refusal.
     */
    const attempt = async (password: string): Promise<number | 'welcome' | 'unverified'> => {
      const client = await RawClient.connect(server.address);
      const first = await client.take(() => true, 'hello or a refusal');
      if (first.type === 'hello') {
        client.inbox.unshift(first);
        const outcome = await client.authenticate(password, 'eve').then(() => 'welcome' as const, (error: Error) => (error instanceof CryptoError ? 'unverified' as const : null));
        if (outcome !== null) {
          await client.close();
          return outcome;
        }
      }
      return (await client.waitClosed()).code;
    };
    // As docs/PROTOCOL.md says: more than 5 failures back the address off, so the 6th failure is the last one answered.
    const failures: (number | 'welcome' | 'unverified')[] = [];
    for (let i = 0; i <= MAX_FAILURES; i++) failures.push(await attempt(`guess ${i}`));
    const blockedAt = Date.now();
    assert.deepStrictEqual(failures, Array(MAX_FAILURES + 1).fill('unverified'));
    assert.strictEqual(await attempt('another guess'), CLOSE_CODES.backoff);
    assert.strictEqual(await attempt(TEST_PASSWORD), CLOSE_CODES.backoff, 'the right password is refused during back-off');
    // The back-off is a span of time: retry the right password until it is let in, and check when.
    let refusedWhileBlocked = 2;
    let outcome: number | 'welcome' | 'unverified';
    while ((outcome = await attempt(TEST_PASSWORD)) === CLOSE_CODES.backoff) {
      refusedWhileBlocked += 1;
      assert.ok(Date.now() - blockedAt < BACKOFF_MS + 5_000, 'the back-off ends');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.strictEqual(outcome, 'welcome');
    const waited = Date.now() - blockedAt;
    console.log(`      brute force: ${failures.length} wrong passwords (one CPace run each, the server's confirmation failing), then ${refusedWhileBlocked} attempts refused 4003 (the right password included) for ${waited} ms of a ${BACKOFF_MS} ms back-off; then the right password got in`);
    assert.ok(waited >= BACKOFF_MS - 50, `let in after ${waited} ms`);
  });
});
