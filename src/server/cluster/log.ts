// A room's messages in a cluster: one Redis stream per room holds them in seq order, and every node
// follows it with a blocking XREAD from the last entry it delivered, so each node sends every
// message to its own members in the one order, and a node that loses Redis for a while carries on
// from where it stopped. A node acknowledges a message once Redis has answered the APPEND script,
// which it does only after its AOF is fsync'd (`appendfsync always`, README "Running a cluster"),
// and once the fan-out has reached it: the ack goes out where the message stands in the stream.
import { createHash, randomBytes } from 'crypto';
import type Redis from 'ioredis';
import { StartError } from '../errors';
import type { Logger } from '../logger';
import type { LoadedRoom } from '../room';
import type { PresenceMember } from '../presence';
import { AcceptedEnvelope, Durable, HistoryQuery, ReplayError, RoomLog, StoredPage, cutPage } from '../roomLog';
import { ClusterPresence, NODE_TTL_MS } from './presence';
import { ClusterTombstones } from './tombstones';
import { APPEND, CLAIM, HOLDS, RoomKeys, connect, connected, redisEndpoint, roomKeys, unavailable } from './redis';

/** How long one XREAD waits for entries before asking again (so a stop never waits longer). */
const READ_BLOCK_MS = 1_000;
/** Entries one XREAD returns at most, from both streams. */
const READ_BATCH = 500;

export interface ClusterOptions {
  /** redis://[user:password@]host:port of the Redis every node of the room uses. */
  readonly url: string;
  /** The room as this node's room.json has it: its id names the keys, the rest must match the other nodes'. */
  readonly room: LoadedRoom;
  readonly logger: Logger;
  /** `corkTurn` of the server's Presence: corks every socket until the end of this turn. */
  readonly corkTurn: () => void;
  /** Runs one batch of deliveries with the sockets corked (one write per socket, not one per frame). */
  readonly deliver: (run: () => void) => void;
}

type StreamEntry = [id: Buffer, fields: Buffer[]];

interface PendingAppend {
  readonly sender?: PresenceMember;
  /** Settles once the reply has been handled (`replied`); `ack` is then set if the message was stored. */
  readonly answered: Promise<void>;
  replied: boolean;
  ack?: () => void;
}

/** The fields of a stream entry by name. */
function fieldsOf(entry: StreamEntry): Map<string, Buffer> {
  const fields = new Map<string, Buffer>();
  for (let i = 0; i < entry[1].length; i += 2) fields.set(entry[1][i].toString('latin1'), entry[1][i + 1]);
  return fields;
}

/**
 * What every node's room.json must agree on, hashed: the public parameters and the epochs (number,
 * start), which a key change alters. Nothing secret goes in: no verifier, no sealed secret.
 */
export function roomFingerprint({ room, epochs, current }: LoadedRoom): string {
  const parts = { salt: room.kdf.salt.toString('base64'), iterations: room.kdf.iterations, current, epochs: epochs.map((e) => [e.number, e.createdAt]) };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

const tokenOf = (entry: StreamEntry) => fieldsOf(entry).get('t')!.toString('latin1');

/** The seq of a message entry: its stream id is `<seq>-0`. */
const seqOf = (id: Buffer) => Number(id.toString('latin1').split('-')[0]);

export class ClusterLog implements RoomLog {
  readonly fansOut = true;
  private lastSeq: number;
  private nextToken = 0;
  /**
   * This node's appends not yet read back from the stream, by token. The fan-out leaves the sender
   * out and sends it the ack instead, where the message stands in the stream, so a member hears of
   * seqs in order, as from one server (the client's seq ceiling counts on it: src/client/liveSeqs.ts).
   * An entry read back before Redis's reply to its append waits for that reply (it follows at once).
   */
  private readonly pending = new Map<string, PendingAppend>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;
  private reachable = true;
  private readonly reading: Promise<void>;
  /** The room's deleted messages, kept in Redis beside the log for every node to serve. */
  readonly tombstones: ClusterTombstones;

  private constructor(
    private readonly options: ClusterOptions,
    private readonly commands: Redis,
    private readonly reader: Redis,
    private readonly keys: RoomKeys,
    private readonly node: string,
    readonly presence: ClusterPresence,
    latest: { seq: number; presenceId: string },
  ) {
    this.lastSeq = latest.seq;
    this.tombstones = new ClusterTombstones((command) => this.tracked(command), commands, keys);
    for (const redis of [commands, reader]) {
      redis.on('error', (error: Error) => this.outage(error));
      redis.on('ready', () => this.recovered());
    }
    this.reading = this.readLoop(`${latest.seq}-0`, latest.presenceId);
    presence.startBeating();
  }

  /** Connects both connections (commands, and the blocking reader) and reads where the room stands. */
  static async open(options: ClusterOptions): Promise<ClusterLog> {
    const commands = connect(options.url, false);
    const reader = connect(options.url, true);
    await connected(commands, options.url);
    try {
      await connected(reader, options.url);
      const keys = roomKeys(options.room.room.roomId.toString('hex'));
      const node = randomBytes(6).toString('hex');
      if (await CLAIM.run(commands, [keys.room, keys.nodes], [roomFingerprint(options.room), node, NODE_TTL_MS]) === 0) {
        throw new StartError('bad-request', 'this data directory\'s room.json differs from the one the running nodes of the cluster serve (salt or key epochs): copy room.json from a running node\'s data directory, or stop every node to change keys (README "Running a cluster")');
      }
      const presence = new ClusterPresence(options.corkTurn, commands, keys, node, options.logger);
      const last = await commands.callBuffer('XREVRANGE', keys.log, '+', '-', 'COUNT', 1) as StreamEntry[];
      const presenceId = await presence.snapshot();
      const seq = last.length > 0 ? seqOf(last[0][0]) : 0;
      options.logger.log('info', 'cluster-joined', { redis: redisEndpoint(options.url), node, latestSeq: seq });
      return new ClusterLog(options, commands, reader, keys, node, presence, { seq, presenceId });
    } catch (error) {
      commands.disconnect();
      reader.disconnect();
      throw error;
    }
  }

  holdsRecent(): boolean {
    // Not known without asking Redis: the APPEND script checks, atomically with the append.
    return false;
  }

  async holdsAnywhere(messageId: Buffer, messageIv: Buffer): Promise<boolean> {
    const held = await this.tracked(HOLDS.run(this.commands, [this.keys.ids, this.keys.ivs], [messageId, messageIv]));
    return held === 1;
  }

  append(message: AcceptedEnvelope, done: Durable, sender?: PresenceMember): void {
    if (this.closing) return done(new Error('the store is closing'), 0);
    const token = String(++this.nextToken);
    const keys = [this.keys.log, this.keys.seq, this.keys.ids, this.keys.ivs];
    const reply = this.tracked(APPEND.run(this.commands, keys, [message.messageId, message.messageIv, message.envelope, this.node, token]));
    const pending: PendingAppend = {
      sender,
      replied: false,
      answered: reply.then(
        (stored) => {
          pending.replied = true;
          const seq = stored as number;
          if (seq !== 0) {
            pending.ack = () => done(null, seq);
            return;
          }
          this.pending.delete(token);
          done(new ReplayError(), 0);
        },
        (error: Error) => {
          // Stored after all if Redis ran it and only the answer was lost: the sender's retry then
          // hears `replay`. Its entry, if any, goes out to everyone, the sender too, without an ack.
          pending.replied = true;
          this.pending.delete(token);
          done(error, 0);
        },
      ),
    };
    this.pending.set(token, pending);
  }

  latestSeq(): number {
    return this.lastSeq;
  }

  async history({ before, after, limit }: HistoryQuery, maxEncodedBytes: number): Promise<StoredPage> {
    // Exclusive ranges over ids `<seq>-0`: `(5-0` starts after seq 5 (or ends before it).
    if (after === undefined && before !== undefined && before <= 1) return { messages: [], hasMore: false };
    const entries = await this.tracked(after !== undefined
      ? this.commands.callBuffer('XRANGE', this.keys.log, `(${after}-0`, '+', 'COUNT', limit + 1)
      : this.commands.callBuffer('XREVRANGE', this.keys.log, before === undefined ? '+' : `(${before}-0`, '-', 'COUNT', limit + 1)) as StreamEntry[];
    const rows = entries.map((entry) => ({ seq: seqOf(entry[0]), envelope: fieldsOf(entry).get('e')! }));
    return cutPage(rows, after !== undefined, limit, maxEncodedBytes);
  }

  /** Lets what is in flight settle, takes this node's members off the list, and disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    await this.presence.close();
    this.reader.disconnect();
    await this.reading;
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  /** A command's promise, counted until it settles (for close), with its failure as UnavailableError. */
  private tracked<T>(command: Promise<T>): Promise<T> {
    const settled = command.catch((error: unknown) => {
      throw unavailable(error);
    });
    this.inFlight.add(settled);
    const untrack = () => this.inFlight.delete(settled);
    settled.then(untrack, untrack);
    return settled;
  }

  /** Follows both streams from the given ids until close; an outage pauses it until Redis is back. */
  private async readLoop(logId: string, presenceId: string): Promise<void> {
    let lastLog = logId;
    let lastPresence = presenceId;
    while (!this.closing) {
      let reply: [Buffer, StreamEntry[]][] | null;
      try {
        reply = await this.reader.callBuffer('XREAD', 'COUNT', READ_BATCH, 'BLOCK', READ_BLOCK_MS, 'STREAMS', this.keys.log, this.keys.presence, lastLog, lastPresence) as typeof reply;
      } catch (error) {
        if (this.closing) return;
        this.outage(error as Error);
        await this.readerBack();
        // Presence events may have been trimmed meanwhile: start again from a snapshot.
        lastPresence = await this.presence.snapshot().catch(() => lastPresence);
        continue;
      }
      for (const [key, entries] of reply ?? []) {
        if (entries.length === 0) continue;
        if (key.toString('latin1') === this.keys.log) await this.deliver(entries);
        else for (const entry of entries) this.presenceEvent(entry);
        const last = entries.at(-1)![0].toString('latin1');
        if (key.toString('latin1') === this.keys.log) lastLog = last;
        else lastPresence = last;
      }
    }
  }

  /** Delivers entries in stream order, in synchronous runs between the appends still awaiting their reply. */
  private async deliver(entries: StreamEntry[]): Promise<void> {
    for (let from = 0; from < entries.length;) {
      let to = from;
      while (to < entries.length && !this.awaitsReply(entries[to])) to += 1;
      const run = entries.slice(from, to);
      if (run.length > 0) this.options.deliver(() => run.forEach((entry) => this.deliverOne(entry)));
      // The entry that waited goes out with the next run, its reply handled.
      if (to < entries.length) await this.ownPending(entries[to])!.answered;
      from = to;
    }
  }

  /** An entry this node appended whose reply has not been handled yet. */
  private awaitsReply(entry: StreamEntry): boolean {
    const pending = this.ownPending(entry);
    return pending !== undefined && !pending.replied;
  }

  private ownPending(entry: StreamEntry): PendingAppend | undefined {
    return fieldsOf(entry).get('n')!.toString('latin1') === this.node ? this.pending.get(tokenOf(entry)) : undefined;
  }

  private deliverOne(entry: StreamEntry): void {
    const fields = fieldsOf(entry);
    const seq = seqOf(entry[0]);
    const pending = this.ownPending(entry);
    if (pending) this.pending.delete(tokenOf(entry));
    this.presence.broadcast({ type: 'message', seq, envelope: fields.get('e')! }, pending?.sender);
    this.lastSeq = seq;
    pending?.ack?.();
  }

  private presenceEvent(entry: StreamEntry): void {
    const fields = fieldsOf(entry);
    this.presence.apply(fields.get('o')!.toString('latin1'), fields.get('m')!.toString('latin1'), fields.get('u')!);
  }

  /** Resolves once the reader is connected again (or the log closes). */
  private readerBack(): Promise<void> {
    if (this.reader.status === 'ready') return new Promise((resolve) => setTimeout(resolve, READ_BLOCK_MS / 10));
    return new Promise((resolve) => {
      const done = () => {
        this.reader.off('ready', done);
        this.reader.off('end', done);
        resolve();
      };
      this.reader.on('ready', done);
      this.reader.on('end', done);
    });
  }

  private outage(error: Error): void {
    if (!this.reachable || this.closing) return;
    this.reachable = false;
    this.options.logger.log('error', 'cluster-unavailable', { redis: redisEndpoint(this.options.url), error: error.message });
  }

  /** Both connections are back: sends are taken again, and the reader carries on where it stopped. */
  private recovered(): void {
    if (this.reachable || this.commands.status !== 'ready' || this.reader.status !== 'ready') return;
    this.reachable = true;
    this.options.logger.log('info', 'cluster-available', { redis: redisEndpoint(this.options.url) });
  }
}
