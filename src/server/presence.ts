// Who is online, by member (identity key) rather than by connection: one person with two windows
// open is one member, who joins with the first connection and leaves with the last, and the
// welcome's `online` list holds one entry per key. A join costs O(1) besides the frames it must
// send: the encoded `online` list is kept as text and grown by one entry per new member, never
// rebuilt or re-encoded per connection (a reconnect storm of 1,000 members used to encode 500,000
// list entries). A leave or a rename drops the text, rebuilt once by the next welcome. Every join and
// leave fans out to all connections; those frames are written with the sockets corked for the turn
// of the event loop (see corking.ts), so a burst of joins reaches each member in one write.
//
// At most MAX_ONLINE members, whatever maxConnections allows: clients refuse a welcome listing more
// (src/protocol/wire.ts), so one more is refused as the server being full.
import { encodeBase64 } from '../protocol/base64';
import { MAX_ONLINE } from '../protocol/limits';
import { ServerFrame, encodeListEntry, encodeServerFrame, encodeWelcomeFrame } from '../protocol/wire';
import { MemberPresence } from './memberPresence';

export interface PresenceMember {
  /** Queues an encoded frame for this member. */
  sendEncoded(text: string): void;
}

/**
 * What a connection presented: its proven key, the name it claimed, and its presence entry
 * (wire.ts). The name is null for a member served by another cluster node: only its entry is known
 * there, so each of its connections is announced with its entry.
 */
export interface Presented {
  readonly key: Buffer;
  readonly name: string | null;
  readonly entry: Buffer;
}

interface ListedMember {
  readonly name: string | null;
  readonly entry: Buffer;
  /** The entry as encodeListEntry writes it. */
  readonly text: string;
}

export class Presence<M extends PresenceMember> {
  /** Every present connection: each hears every frame. */
  private readonly connections = new Set<M>();
  private readonly members = new MemberPresence<M>();
  /** Key text → the entry listed for that member (its latest present), in the order members joined. */
  private readonly listed = new Map<string, ListedMember>();
  /** The listed entries joined by commas; null after a leave or rename until the next welcome needs it. */
  private online: string | null = '';

  /** `corkTurn` corks every socket until the end of this turn of the event loop. */
  constructor(private readonly corkTurn: () => void, private readonly cap = MAX_ONLINE) {}

  /** Members (keys) online. */
  get size(): number {
    return this.listed.size;
  }

  /**
   * Adds `connection`, sends it the welcome (listing its member too), and tells every other
   * connection when its member is new (`join`) or comes under another name than the one listed (a
   * rename: `join` with the new entry); false, sending nothing, when `cap` members are online
   * already and this is another.
   */
  join(connection: M, presented: Presented, epoch: number, latestSeq: number): boolean {
    if (this.connections.has(connection)) return true;
    const announce = this.add(connection, presented);
    if (announce === undefined) return false;
    this.online ??= [...this.listed.values()].map((member) => member.text).join(',');
    connection.sendEncoded(encodeWelcomeFrame(epoch, this.online, latestSeq));
    if (announce) this.broadcast({ type: 'join', user: presented.entry }, connection);
    return true;
  }

  /**
   * Adds a connection that gets no welcome (one served by another cluster node) and tells every
   * connection here when it changes the list; false when it is listed already or `cap` members are
   * online and this is another.
   */
  announce(connection: M, presented: Presented): boolean {
    if (this.connections.has(connection)) return false;
    const announce = this.add(connection, presented);
    if (announce) this.broadcast({ type: 'join', user: presented.entry }, connection);
    return announce !== undefined;
  }

  /** Lists `connection`; whether its member's entry is new to the list, or undefined when full. */
  private add(connection: M, presented: Presented): boolean | undefined {
    const key = encodeBase64(presented.key);
    const before = this.listed.get(key);
    if (before === undefined && this.listed.size >= this.cap) return undefined;
    this.connections.add(connection);
    this.members.add(connection, presented.key);
    const announce = before === undefined || presented.name === null || before.name !== presented.name;
    if (announce) {
      const text = encodeListEntry(presented.entry);
      this.listed.set(key, { name: presented.name, entry: presented.entry, text });
      if (before !== undefined) this.online = null;
      else if (this.online !== null) this.online = this.online === '' ? text : `${this.online},${text}`;
    }
    this.corkTurn();
    return announce;
  }

  /** Removes `connection`; when it was its member's last, tells the others and returns true. */
  leave(connection: M): boolean {
    if (!this.connections.delete(connection)) return false;
    const publicKey = this.members.remove(connection);
    if (publicKey === null) return false;
    const key = encodeBase64(publicKey);
    const member = this.listed.get(key) as ListedMember;
    this.listed.delete(key);
    this.online = null;
    this.corkTurn();
    this.broadcast({ type: 'leave', user: member.entry });
    return true;
  }

  /** Sends one frame to every connection but `except`, encoded once. */
  broadcast(frame: ServerFrame, except?: M): void {
    const text = encodeServerFrame(frame);
    for (const connection of this.connections) if (connection !== except) connection.sendEncoded(text);
  }
}
