// Who is online: the authenticated connections in the order they joined, and what tells the others
// when one joins or leaves. A join costs O(1) besides the frames it must send: the encoded `online`
// list of the welcome is kept as text and grown by one entry per join, never rebuilt or re-encoded
// per connection (a reconnect storm of 1,000 members used to encode 500,000 list entries). A leave
// drops the text, rebuilt once by the next welcome. Every join and leave fans out to all members;
// those frames are written with the sockets corked for the turn of the event loop (see corking.ts),
// so a burst of joins reaches each member in one write instead of one per join.
//
// At most MAX_ONLINE members, whatever maxConnections allows: clients refuse a welcome listing more
// (src/protocol/wire.ts), so one more is refused as the server being full.
import { MAX_ONLINE } from '../protocol/limits';
import { ServerFrame, encodeListEntry, encodeServerFrame, encodeWelcomeFrame } from '../protocol/wire';

export interface PresenceMember {
  /** Queues an encoded frame for this member. */
  sendEncoded(text: string): void;
}

export class Presence<M extends PresenceMember> {
  /** Each member's encoded list entry, in join order. */
  private readonly entries = new Map<M, string>();
  /** The entries joined by commas; null after a leave until the next welcome needs it. */
  private online: string | null = '';

  /** `corkTurn` corks every socket until the end of this turn of the event loop. */
  constructor(private readonly corkTurn: () => void, private readonly cap = MAX_ONLINE) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Adds `member`, sends it the welcome (listing it too), then tells every other member; false,
   * sending nothing, when `cap` members are online already.
   */
  join(member: M, user: Buffer, epoch: number, latestSeq: number): boolean {
    if (this.entries.has(member)) return true;
    if (!this.add(member, user)) return false;
    this.online ??= [...this.entries.values()].join(',');
    member.sendEncoded(encodeWelcomeFrame(epoch, this.online, latestSeq));
    this.broadcast({ type: 'join', user }, member);
    return true;
  }

  /**
   * Adds a member that gets no welcome (one served by another cluster node) and tells every member
   * here; false when it is listed already or `cap` members are online.
   */
  announce(member: M, user: Buffer): boolean {
    if (this.entries.has(member) || !this.add(member, user)) return false;
    this.broadcast({ type: 'join', user }, member);
    return true;
  }

  private add(member: M, user: Buffer): boolean {
    if (this.entries.size >= this.cap) return false;
    const entry = encodeListEntry(user);
    this.entries.set(member, entry);
    if (this.online !== null) this.online = this.online === '' ? entry : `${this.online},${entry}`;
    this.corkTurn();
    return true;
  }

  /** Removes `member` and tells the others; false if it was not online. */
  leave(member: M, user: Buffer): boolean {
    if (!this.entries.delete(member)) return false;
    this.online = null;
    this.corkTurn();
    this.broadcast({ type: 'leave', user });
    return true;
  }

  /** Sends one frame to every member but `except`, encoded once. */
  broadcast(frame: ServerFrame, except?: M): void {
    const text = encodeServerFrame(frame);
    for (const member of this.entries.keys()) if (member !== except) member.sendEncoded(text);
  }
}
