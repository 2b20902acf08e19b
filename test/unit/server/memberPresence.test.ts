// Presence by member: two connections of one key are one member, joining with the first and leaving with the last.
import * as assert from 'assert';
import { MemberPresence } from '../../../src/server/memberPresence';

const alice = Buffer.alloc(32, 1);
const bob = Buffer.alloc(32, 2);

describe('member presence', () => {
  it('one person on two windows is one member: joins with the first connection, leaves with the last', () => {
    const presence = new MemberPresence<string>();
    assert.strictEqual(presence.add('window 1', alice), true, 'first connection: a join');
    assert.strictEqual(presence.add('window 2', alice), false, 'second connection: no join');
    assert.strictEqual(presence.size, 1);
    assert.strictEqual(presence.connectionsOf(alice), 2);
    assert.strictEqual(presence.remove('window 1'), null, 'one window closed: still online');
    assert.ok(presence.isOnline(alice));
    assert.deepStrictEqual(presence.remove('window 2'), alice, 'last window closed: a leave');
    assert.strictEqual(presence.isOnline(alice), false);
    assert.strictEqual(presence.size, 0);
  });

  it('lists each member once, in the order they joined; unknown connections are ignored', () => {
    const presence = new MemberPresence<number>();
    presence.add(1, bob);
    presence.add(2, alice);
    presence.add(3, bob);
    assert.deepStrictEqual(presence.members(), [bob, alice]);
    assert.strictEqual(presence.remove(99), null);
    presence.remove(1);
    presence.remove(3);
    assert.deepStrictEqual(presence.members(), [alice]);
    assert.strictEqual(presence.add(1, bob), true, 'bob back: a join again');
    assert.deepStrictEqual(presence.members(), [alice, bob]);
  });

  it('a connection belongs to one member for its life', () => {
    const presence = new MemberPresence<string>();
    presence.add('c', alice);
    assert.throws(() => presence.add('c', bob), /connection is already present/);
    assert.throws(() => presence.add('c', alice), /connection is already present/);
    assert.strictEqual(presence.connectionsOf(alice), 1);
  });

  it('keeps its own copy of the key: a caller reusing its buffer changes nothing', () => {
    const presence = new MemberPresence<string>();
    const reused = Buffer.from(alice);
    presence.add('c', reused);
    reused.fill(9);
    assert.deepStrictEqual(presence.members(), [alice]);
    assert.ok(presence.isOnline(alice));
  });
});
