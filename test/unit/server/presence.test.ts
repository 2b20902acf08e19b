import * as assert from 'assert';
import { encodeServerFrame } from '../../../src/protocol/wire';
import { Presence, PresenceMember } from '../../../src/server/presence';

class Member implements PresenceMember {
  readonly received: string[] = [];
  constructor(readonly user: Buffer) {}
  sendEncoded(text: string): void {
    this.received.push(text);
  }
}

const epoch = 3;
const member = (fill: number) => new Member(Buffer.alloc(32, fill));
const welcome = (online: Member[], latestSeq: number) => encodeServerFrame({ type: 'welcome', epoch, online: online.map((m) => m.user), latestSeq });
const join = (m: Member) => encodeServerFrame({ type: 'join', user: m.user });
const leave = (m: Member) => encodeServerFrame({ type: 'leave', user: m.user });

describe('server presence', () => {
  it('welcomes with everyone online in join order, the same text as the frame encoder, and tells the others', () => {
    let corked = 0;
    const presence = new Presence<Member>(() => corked++);
    const [a, b, c, d] = [1, 2, 3, 4].map(member);
    for (const [i, m] of [a, b, c].entries()) assert.strictEqual(presence.join(m, m.user, epoch, i), true);
    assert.deepStrictEqual(a.received, [welcome([a], 0), join(b), join(c)]);
    assert.deepStrictEqual(b.received, [welcome([a, b], 1), join(c)]);
    assert.deepStrictEqual(c.received, [welcome([a, b, c], 2)]);
    assert.strictEqual(presence.leave(b, b.user), true);
    assert.strictEqual(presence.leave(b, b.user), false, 'a second leave is not announced');
    assert.deepStrictEqual([a.received.at(-1), c.received.at(-1)], [leave(b), leave(b)]);
    presence.join(d, d.user, epoch, 7);
    assert.deepStrictEqual(d.received, [welcome([a, c, d], 7)], 'the list is rebuilt after a leave');
    assert.strictEqual(b.received.length, 2, 'a member that left hears nothing more');
    assert.strictEqual(presence.size, 3);
    assert.strictEqual(corked, 5, 'every join and leave corks the sockets for its turn');
  });

  it('broadcasts a frame to every member but the sender, encoded once', () => {
    const presence = new Presence<Member>(() => undefined);
    const [a, b] = [1, 2].map(member);
    presence.join(a, a.user, epoch, 0);
    presence.join(b, b.user, epoch, 0);
    const frame = { type: 'message' as const, seq: 1, envelope: Buffer.alloc(160, 9) };
    presence.broadcast(frame, a);
    assert.deepStrictEqual([a.received.length, b.received.at(-1)], [2, encodeServerFrame(frame)]);
  });

  it('refuses a member beyond its cap and sends nothing for it', () => {
    const presence = new Presence<Member>(() => undefined, 2);
    const [a, b, c] = [1, 2, 3].map(member);
    presence.join(a, a.user, epoch, 0);
    presence.join(b, b.user, epoch, 0);
    assert.strictEqual(presence.join(c, c.user, epoch, 0), false);
    assert.deepStrictEqual([a.received.length, b.received.length, c.received.length, presence.size], [2, 1, 0, 2]);
  });
});
