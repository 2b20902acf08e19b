// Who is online, by member (identity key) rather than by connection: one person with two windows
// open is one member, who joins with the first connection and leaves with the last. Pure logic over
// whatever object stands for a connection; each join and leave is O(1) map work.
import { encodeBase64 } from '../protocol/base64';

interface OnlineMember<Connection> {
  readonly publicKey: Buffer;
  /** Never empty: a member without connections is removed. */
  readonly connections: Set<Connection>;
}

export class MemberPresence<Connection> {
  /** Key text (base64) → the member and its open connections, in the order members joined. */
  private readonly online = new Map<string, OnlineMember<Connection>>();
  private readonly keyOfConnection = new Map<Connection, string>();

  /**
   * Counts `connection` as `publicKey`'s; true when it is that member's first (a join to announce).
   * A connection is one member's for its whole life: adding it again, under any key, is an error.
   */
  add(connection: Connection, publicKey: Uint8Array): boolean {
    if (this.keyOfConnection.has(connection)) throw new Error('connection is already present');
    const key = encodeBase64(publicKey);
    this.keyOfConnection.set(connection, key);
    const member = this.online.get(key);
    if (member !== undefined) {
      member.connections.add(connection);
      return false;
    }
    this.online.set(key, { publicKey: Buffer.from(publicKey), connections: new Set([connection]) });
    return true;
  }

  /** Forgets `connection`; the member's key when that was its last connection (a leave to announce), else null. */
  remove(connection: Connection): Buffer | null {
    const key = this.keyOfConnection.get(connection);
    if (key === undefined) return null;
    this.keyOfConnection.delete(connection);
    const member = this.online.get(key) as OnlineMember<Connection>;
    member.connections.delete(connection);
    if (member.connections.size > 0) return null;
    this.online.delete(key);
    return member.publicKey;
  }

  isOnline(publicKey: Uint8Array): boolean {
    return this.online.has(encodeBase64(publicKey));
  }

  /** Open connections of one member. */
  connectionsOf(publicKey: Uint8Array): number {
    return this.online.get(encodeBase64(publicKey))?.connections.size ?? 0;
  }

  /** Members online, one key each, in the order they joined. */
  members(): Buffer[] {
    return [...this.online.values()].map((member) => member.publicKey);
  }

  get size(): number {
    return this.online.size;
  }
}
