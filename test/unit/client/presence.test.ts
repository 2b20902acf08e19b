import * as assert from 'assert';
import { MAX_ONLINE } from '../../../src/protocol/limits';
import { Presence } from '../../../src/client/presence';
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

  it('tracks at most MAX_ONLINE connections however many joins a server sends, and emits only changes', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    await connected(alice);
    const seen = record(alice, 'presence');
    const joins = 5000;
    const blocks = Array.from({ length: joins }, (_, i) => server.presence(`m${i}`));
    for (const user of blocks) server.broadcast({ type: 'join', user });
    // Frames arrive in order: once the leave of m0 shows, every join before it has been handled.
    const done = next(alice, 'presence', (list) => !list.includes('m0'));
    server.broadcast({ type: 'leave', user: blocks[0] });
    await done;
    assert.strictEqual(alice.online.length, MAX_ONLINE - 1, 'alice and the first MAX_ONLINE - 1 joins, less m0');
    assert.ok(alice.online.includes('alice') && alice.online.includes('m1022') && !alice.online.includes('m1023'));
    assert.strictEqual(seen.length, MAX_ONLINE, 'one event per change: MAX_ONLINE - 1 joins and the leave');
  });

  it('keeps a name listed while any of its connections is online, each update O(1)', () => {
    const presence = new Presence(3);
    const block = (n: number) => Buffer.alloc(16, n);
    assert.strictEqual(presence.join(block(1), 'bob'), true);
    assert.strictEqual(presence.join(block(2), 'bob'), false);
    assert.strictEqual(presence.join(block(3), 'amy'), true);
    assert.strictEqual(presence.join(block(4), 'cat'), false, 'over the cap');
    assert.deepStrictEqual(presence.names(), ['amy', 'bob']);
    assert.strictEqual(presence.leave(block(1)), false);
    assert.strictEqual(presence.leave(block(2)), true);
    assert.strictEqual(presence.join(block(3), 'ann'), true, 'a connection renamed');
    assert.deepStrictEqual(presence.names(), ['ann']);
    assert.strictEqual(presence.clear(), true);
    assert.deepStrictEqual(presence.names(), []);
  });
});
