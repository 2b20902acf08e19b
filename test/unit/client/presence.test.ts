import * as assert from 'assert';
import { IdentityKey } from '../../../src/crypto';
import { MAX_ONLINE } from '../../../src/protocol/limits';
import { Presence } from '../../../src/client/presence';
import type { OnlineMember } from '../../../src/client';
import { cleanUp, connected, makeClient, next, record, startServer } from './helpers';

const names = (members: readonly OnlineMember[]) => members.map((member) => member.name);

describe('client presence', () => {
  afterEach(cleanUp);

  it('lists one member per identity key: one key on two connections is one member until both leave', async () => {
    const server = await startServer();
    const identity = IdentityKey.generate();
    const alice = makeClient(server, { identity });
    const seen = record(alice, 'presence');
    await connected(alice);
    const withBob = next(alice, 'presence');
    const bob = makeClient(server, { username: 'bob' });
    await connected(bob);
    await withBob;
    // The scripted server lists connections as they come: the second window's entry has alice's key.
    const aliceAgain = makeClient(server, { username: 'alice', identity });
    await connected(aliceAgain);
    assert.deepStrictEqual(bob.online, [{ key: identity.publicKey, name: 'alice' }, { key: bob.identityPublicKey(), name: 'bob' }]);
    assert.deepStrictEqual(names(aliceAgain.online), ['alice', 'bob'], 'the welcome listing alice twice is one member');
    const bobGone = next(alice, 'presence');
    bob.dispose();
    await bobGone;
    assert.deepStrictEqual(seen.map(names), [['alice'], ['alice', 'bob'], ['alice']]);
  });

  it('two members of one name are two entries, sorted by name then key', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    await connected(alice);
    const [low, high] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const both = next(alice, 'presence', (members) => members.length === 3);
    server.broadcast({ type: 'join', user: server.presence('root', high) });
    server.broadcast({ type: 'join', user: server.presence('root', low) });
    assert.deepStrictEqual(await both, [{ key: alice.identityPublicKey(), name: 'alice' }, { key: low, name: 'root' }, { key: high, name: 'root' }]);
  });

  it('reconnects under a new username so the room sees it, and the others hear a rename of its key', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    const bob = makeClient(server, { username: 'bob' });
    await connected(alice);
    await connected(bob);
    const renamedList = next(bob, 'presence', (members) => names(members).includes('carol'));
    const renamed = next(bob, 'renamed');
    alice.setUsername('carol');
    assert.deepStrictEqual(await renamed, { key: alice.identityPublicKey(), from: 'alice', to: 'carol' });
    assert.deepStrictEqual(names(await renamedList), ['bob', 'carol']);
    const own = next(alice, 'delivery');
    alice.send({ text: 'now as carol' });
    await own;
  });

  it('tracks at most MAX_ONLINE members however many joins a server sends, and emits only changes', async () => {
    const server = await startServer();
    const alice = makeClient(server);
    await connected(alice);
    const seen = record(alice, 'presence');
    const joins = 5000;
    const blocks = Array.from({ length: joins }, (_, i) => server.presence(`m${i}`));
    for (const user of blocks) server.broadcast({ type: 'join', user });
    // Frames arrive in order: once the leave of m0 shows, every join before it has been handled.
    const done = next(alice, 'presence', (list) => !names(list).includes('m0'));
    server.broadcast({ type: 'leave', user: blocks[0] });
    await done;
    const online = names(alice.online);
    assert.strictEqual(online.length, MAX_ONLINE - 1, 'alice and the first MAX_ONLINE - 1 joins, less m0');
    assert.ok(online.includes('alice') && online.includes('m1022') && !online.includes('m1023'));
    assert.strictEqual(seen.length, MAX_ONLINE, 'one event per change: MAX_ONLINE - 1 joins and the leave');
  });

  it('keeps one entry per key, each update O(1); a key back under another name is a rename, also after it left', () => {
    const presence = new Presence(3);
    const key = (n: number) => Buffer.alloc(32, n);
    assert.deepStrictEqual(presence.join({ key: key(1), name: 'bob' }), { changed: true, renamed: [] });
    assert.deepStrictEqual(presence.join({ key: key(1), name: 'bob' }), { changed: false, renamed: [] }, 'a second connection of bob');
    assert.deepStrictEqual(presence.join({ key: key(2), name: 'amy' }).changed, true);
    assert.deepStrictEqual(presence.join({ key: key(3), name: 'bob' }).changed, true, 'another member called bob');
    assert.deepStrictEqual(presence.join({ key: key(4), name: 'cat' }).changed, false, 'over the cap');
    assert.deepStrictEqual(presence.members(), [{ key: key(2), name: 'amy' }, { key: key(1), name: 'bob' }, { key: key(3), name: 'bob' }]);
    assert.deepStrictEqual(presence.join({ key: key(2), name: 'ann' }), { changed: true, renamed: [{ key: key(2), from: 'amy', to: 'ann' }] });
    assert.strictEqual(presence.leave(key(1)), true);
    assert.strictEqual(presence.leave(key(1)), false);
    assert.deepStrictEqual(presence.join({ key: key(1), name: 'rob' }).renamed, [{ key: key(1), from: 'bob', to: 'rob' }]);
    assert.strictEqual(presence.clear(), true);
    assert.deepStrictEqual(presence.members(), []);
    const back = presence.replace([{ key: key(3), name: 'bo' }, { key: key(1), name: 'rob' }]);
    assert.deepStrictEqual(back, { changed: true, renamed: [{ key: key(3), from: 'bob', to: 'bo' }] }, 'a welcome after a reconnect tells renames too');
  });
});
