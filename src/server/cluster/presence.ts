// Who is online across a cluster. Each node lists its own members in the room's hash in Redis, one
// field per connection (`<node>:<n>`), and publishes each join and leave to the room's presence
// stream, which every node follows (clusterLog.ts reads it with the messages): a member served by
// another node is listed here as a RemoteMember that gets no frames, since its own node sends them.
//
// A node beats every HEARTBEAT_MS, each beat making it count as running for NODE_TTL_MS more (by
// Redis's clock); the members of one killed (or cut off from Redis) that long leave, made to by the
// first other node to notice (REAP). After an outage a node puts its own members right again
// (RESYNC) and reads a fresh snapshot.
import type Redis from 'ioredis';
import type { Logger } from '../logger';
import { IDENTITY_PUBLIC_KEY_BYTES } from '../../crypto';
import { Presence, PresenceMember, Presented } from '../presence';
import { BEAT, JOIN, LEAVE, REAP, RESYNC, RoomKeys, SNAPSHOT } from './redis';

/** How often a node renews its liveness key and looks for dead nodes. */
export const HEARTBEAT_MS = 1_000;
/** How long a node's members stay listed after its last renewal. */
export const NODE_TTL_MS = 5_000;

/** A connection served by another node: listed in the welcome, told nothing by this node. */
class RemoteMember implements PresenceMember {
  constructor(readonly user: Buffer) {}
  sendEncoded(): void {}
}

/** A remote connection's entry starts with its member's identity key (wire.ts); its name stays sealed. */
function remotePresented(user: Buffer): Presented {
  return { key: user.subarray(0, IDENTITY_PUBLIC_KEY_BYTES), name: null, entry: user };
}

export class ClusterPresence extends Presence<PresenceMember> {
  /** This node's members: their field in the online hash and their entry. */
  private readonly local = new Map<PresenceMember, { readonly field: string; readonly user: Buffer }>();
  /** The fields of `local`. */
  private readonly ownFields = new Set<string>();
  private readonly remote = new Map<string, RemoteMember>();
  private nextField = 0;
  /** Set when a change may not have reached Redis, or Redis may have dropped ours: resync next beat. */
  private dirty = false;
  private beating = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(corkTurn: () => void, private readonly redis: Redis, private readonly keys: RoomKeys, private readonly node: string, private readonly logger: Logger) {
    super(corkTurn);
  }

  /** From now on the node beats and reaps, until close. */
  startBeating(): void {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** The online hash as it is, and the presence stream id to follow it from; replaces what was known. */
  async snapshot(): Promise<string> {
    const [id, flat] = await SNAPSHOT.run(this.redis, [this.keys.online, this.keys.presence], []) as [Buffer, Buffer[]];
    const listed = new Map<string, Buffer>();
    for (let i = 0; i < flat.length; i += 2) listed.set(flat[i].toString('latin1'), flat[i + 1]);
    for (const [field, member] of this.remote) {
      if (!listed.has(field)) this.forget(field, member);
    }
    for (const [field, user] of listed) this.apply('join', field, user);
    return id.toString('latin1');
  }

  /** One event of the presence stream, ours included (already applied, unless another node reaped it). */
  apply(op: string, field: string, user: Buffer): void {
    if (field.startsWith(`${this.node}:`)) {
      if (op === 'leave' && this.ownFields.has(field)) this.dirty = true;
      return;
    }
    const known = this.remote.get(field);
    if (op === 'join' && !known) {
      const member = new RemoteMember(user);
      this.remote.set(field, member);
      this.announce(member, remotePresented(user));
    }
    if (op === 'leave' && known) this.forget(field, known);
  }

  override join(member: PresenceMember, presented: Presented, epoch: number, latestSeq: number): boolean {
    const first = !this.local.has(member);
    if (!super.join(member, presented, epoch, latestSeq)) return false;
    if (first) {
      const field = `${this.node}:${++this.nextField}`;
      const user = presented.entry;
      this.local.set(member, { field, user });
      this.ownFields.add(field);
      this.publish(JOIN.run(this.redis, [this.keys.online, this.keys.presence], [field, user]));
    }
    return true;
  }

  override leave(member: PresenceMember): boolean {
    const entry = this.local.get(member);
    if (entry) {
      this.local.delete(member);
      this.ownFields.delete(entry.field);
      this.publish(LEAVE.run(this.redis, [this.keys.online, this.keys.presence], [entry.field]));
    }
    return super.leave(member);
  }

  /** A graceful stop: this node's members leave at once rather than when its liveness key expires. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.local.clear();
    this.ownFields.clear();
    await RESYNC.run(this.redis, [this.keys.online, this.keys.presence], [this.node]).catch(() => undefined);
    await this.redis.hdel(this.keys.nodes, this.node).catch(() => undefined);
  }

  private forget(field: string, member: RemoteMember): void {
    this.remote.delete(field);
    super.leave(member);
  }

  private publish(change: Promise<unknown>): void {
    change.catch(() => (this.dirty = true));
  }

  /** Beats (a node that had stopped counting may have lost its members to a reap), then reaps. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      if (await BEAT.run(this.redis, [this.keys.nodes], [this.node, NODE_TTL_MS]) === 0) this.dirty = true;
      if (this.dirty) {
        this.dirty = false;
        const pairs = [...this.local.values()].flatMap(({ field, user }) => [field, user]);
        await RESYNC.run(this.redis, [this.keys.online, this.keys.presence], [this.node, ...pairs]);
      }
      const reaped = await REAP.run(this.redis, [this.keys.online, this.keys.presence, this.keys.nodes], []) as number;
      if (reaped > 0) this.logger.log('info', 'cluster-members-reaped', { members: reaped });
    } catch (error) {
      // Redis out of reach: the log reports the outage once; the next beat puts our members right.
      // Refused by a Redis that answers, though, it is worth a line each time.
      if (this.redis.status === 'ready') this.logger.log('error', 'cluster-heartbeat-failed', { error: (error as Error).message });
      this.dirty = true;
    } finally {
      this.beating = false;
    }
  }
}
