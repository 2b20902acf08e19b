import * as assert from 'assert';
import { cleanUp, connected, makeClient, next, record, startServer } from './helpers';

describe('client presence', () => {
  afterEach(cleanUp);

  it('lists sorted unique names; a name online twice stays until both leave', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    const seen = record(alice, 'presence');
    await connected(alice);
    const withBob = next(alice, 'presence');
    const bob = makeClient(server, { username: 'bob' });
    await connected(bob);
    await withBob;
    const aliceAgain = makeClient(server, { username: 'alice' });
    await connected(aliceAgain);
    assert.deepStrictEqual(bob.online, ['alice', 'bob']);
    aliceAgain.dispose();
    const bobGone = next(alice, 'presence');
    bob.dispose();
    await bobGone;
    assert.deepStrictEqual(seen, [['alice'], ['alice', 'bob'], ['alice']]);
  });

  it('reconnects under a new username so the room sees it', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    const bob = makeClient(server, { username: 'bob' });
    await connected(alice);
    await connected(bob);
    const renamed = next(bob, 'presence', (names) => names.includes('carol') && !names.includes('alice'));
    alice.setUsername('carol');
    assert.deepStrictEqual(await renamed, ['bob', 'carol']);
    const own = next(alice, 'delivery');
    alice.send({ text: 'now as carol' });
    await own;
  });
});
