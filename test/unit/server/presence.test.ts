import * as assert from 'assert';
import { encodeServerFrame } from '../../../src/protocol/wire';
import { Presence, PresenceMember, Presented } from '../../../src/server/presence';

class Connection implements PresenceMember {
  readonly received: string[] = [];
  constructor(readonly presented: Presented) {}
  sendEncoded(text: string): void {
    this.received.push(text);
  }
}

const epoch = 3;
/** A connection of member `fill` (its key) under `name`; the entry stands in for key ‖ epoch ‖ block. */
const connection = (fill: number, name = `m${fill}`, entryFill = fill) =>
  new Connection({ key: Buffer.alloc(32, fill), name, entry: Buffer.alloc(68, entryFill) });
const welcome = (online: Connection[], latestSeq: number) => encodeServerFrame({ type: 'welcome', epoch, online: online.map((c) => c.presented.entry), latestSeq });
const join = (c: Connection) => encodeServerFrame({ type: 'join', user: c.presented.entry });
const leave = (c: Connection) => encodeServerFrame({ type: 'leave', user: c.presented.entry });

describe('server presence', () => {
  it('welcomes with everyone online in join order, the same text as the frame encoder, and tells the others', () => {
    let corked = 0;
    const presence = new Presence<Connection>(() => corked++);
    const [a, b, c, d] = [1, 2, 3, 4].map((fill) => connection(fill));
    for (const [i, m] of [a, b, c].entries()) assert.strictEqual(presence.join(m, m.presented, epoch, i), true);
    assert.deepStrictEqual(a.received, [welcome([a], 0), join(b), join(c)]);
    assert.deepStrictEqual(b.received, [welcome([a, b], 1), join(c)]);
    assert.deepStrictEqual(c.received, [welcome([a, b, c], 2)]);
    assert.strictEqual(presence.leave(b), true);
    assert.strictEqual(presence.leave(b), false, 'a second leave is not announced');
    assert.deepStrictEqual([a.received.at(-1), c.received.at(-1)], [leave(b), leave(b)]);
    presence.join(d, d.presented, epoch, 7);
    assert.deepStrictEqual(d.received, [welcome([a, c, d], 7)], 'the list is rebuilt after a leave');
    assert.strictEqual(b.received.length, 2, 'a member that left hears nothing more');
    assert.strictEqual(presence.size, 3);
    assert.strictEqual(corked, 5, 'every join and leave corks the sockets for its turn');
  });

  it('one key on two connections is one member: listed once, joins with the first and leaves with the last', () => {
    const presence = new Presence<Connection>(() => undefined);
    const bob = connection(2);
    const window1 = connection(1, 'alice', 10);
    const window2 = connection(1, 'alice', 11);
    presence.join(bob, bob.presented, epoch, 0);
    presence.join(window1, window1.presented, epoch, 0);
    presence.join(window2, window2.presented, epoch, 0);
    assert.deepStrictEqual(window2.received, [welcome([bob, window1], 0)], 'the second window is welcomed with its member listed once');
    assert.deepStrictEqual(bob.received, [welcome([bob], 0), join(window1)], 'no join for the second window');
    assert.strictEqual(presence.size, 2);
    assert.strictEqual(presence.leave(window1), false, 'one window closed: alice is still online');
    assert.deepStrictEqual(bob.received.length, 2);
    assert.strictEqual(presence.leave(window2), true);
    assert.deepStrictEqual(bob.received.at(-1), leave(window1), 'the leave carries the entry listed for the member');
    assert.strictEqual(presence.size, 1);
  });

  it('a key presenting another name while online is announced with a join of its new entry (a rename)', () => {
    const presence = new Presence<Connection>(() => undefined);
    const bob = connection(2);
    const asAlice = connection(1, 'alice', 10);
    const asCarol = connection(1, 'carol', 11);
    presence.join(bob, bob.presented, epoch, 0);
    presence.join(asAlice, asAlice.presented, epoch, 0);
    presence.join(asCarol, asCarol.presented, epoch, 0);
    assert.deepStrictEqual(bob.received, [welcome([bob], 0), join(asAlice), join(asCarol)]);
    assert.deepStrictEqual(asAlice.received.at(-1), join(asCarol), 'its other connection hears it too');
    assert.deepStrictEqual(asCarol.received, [welcome([bob, asCarol], 0)]);
    assert.strictEqual(presence.size, 2);
  });

  it('broadcasts a frame to every connection but the sender, encoded once', () => {
    const presence = new Presence<Connection>(() => undefined);
    const [a, b] = [1, 2].map((fill) => connection(fill));
    presence.join(a, a.presented, epoch, 0);
    presence.join(b, b.presented, epoch, 0);
    const frame = { type: 'message' as const, seq: 1, envelope: Buffer.alloc(160, 9) };
    presence.broadcast(frame, a);
    assert.deepStrictEqual([a.received.length, b.received.at(-1)], [2, encodeServerFrame(frame)]);
  });

  it('refuses a member beyond its cap and sends nothing for it; another connection of a member online is not one more', () => {
    const presence = new Presence<Connection>(() => undefined, 2);
    const [a, b, c] = [1, 2, 3].map((fill) => connection(fill));
    presence.join(a, a.presented, epoch, 0);
    presence.join(b, b.presented, epoch, 0);
    assert.strictEqual(presence.join(c, c.presented, epoch, 0), false);
    assert.deepStrictEqual([a.received.length, b.received.length, c.received.length, presence.size], [2, 1, 0, 2]);
    const again = connection(1, 'm1', 5);
    assert.strictEqual(presence.join(again, again.presented, epoch, 0), true);
  });
});
