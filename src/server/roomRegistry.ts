// The rooms one server serves, by the URL path a socket asked for: `/` is the default room, open for
// as long as the server runs; `/<name>` a named room (namedRooms.ts), opened on its first socket
// with the secret the server secret unlocks, and closed again once it has had no socket for
// `roomIdleMs`. What a path names no room for is a refusal the caller sends (`unknown-room`, 4009).
import type { ServerKeys } from '../crypto';
import { roomFromPath } from '../protocol/roomName';
import { takeDataDir } from './dataDir';
import { namedRoomDir, namedRoomExists } from './namedRooms';
import { openRoomWithSecret, readRoomId } from './room';
import { ServedRoom, SharedLimits } from './servedRoom';
import { openRoomSecretFile } from './serverSecret';

/** Why a path names no room: a log field (the path itself is not logged: it is the peer's text). */
export type RoomRefusal = 'bad-name' | 'no-such-room' | 'locked' | 'cluster' | 'open-failed';

export type Resolved = { readonly ok: true; readonly room: ServedRoom } | { readonly ok: false; readonly why: RoomRefusal };

interface OpenNamed {
  readonly room: Promise<ServedRoom>;
  /** Set once it opened: the heartbeat visits these. */
  served?: ServedRoom;
  idle?: NodeJS.Timeout;
}

export interface RoomRegistryOptions {
  readonly dataDir: string;
  readonly defaultRoom: ServedRoom;
  /** Null when the server started without its secret: then it serves the default room only. */
  readonly serverKeys: ServerKeys | null;
  /** A cluster node serves its default room only: the cluster shares one room's log. */
  readonly cluster: boolean;
  readonly shared: SharedLimits;
  onFatal(error: Error): void;
}

export class RoomRegistry {
  private readonly named = new Map<string, OpenNamed>();
  /** Named rooms being closed: a socket for one waits for its close before opening it again. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(private readonly options: RoomRegistryOptions) {}

  /** The room a request's URL (path and query) names, opened if need be. */
  async resolve(url: string | undefined): Promise<Resolved> {
    let pathname: string;
    try {
      pathname = new URL(url ?? '/', 'ws://server').pathname;
    } catch {
      // A request target no URL parser takes (e.g. "//[") names no room either.
      return { ok: false, why: 'bad-name' };
    }
    const path = roomFromPath(pathname);
    if (!path.ok) return { ok: false, why: 'bad-name' };
    if (path.room === null) return { ok: true, room: this.options.defaultRoom };
    const name = path.room;
    if (this.options.cluster) return { ok: false, why: 'cluster' };
    if (this.options.serverKeys === null) return { ok: false, why: 'locked' };
    let entry = this.named.get(name);
    if (!entry) {
      await this.closing.get(name);
      entry = this.named.get(name);
    }
    if (!entry) {
      if (!namedRoomExists(this.options.dataDir, name)) return { ok: false, why: 'no-such-room' };
      const opening: OpenNamed = { room: this.open(name, this.options.serverKeys) };
      opening.room.then((room) => (opening.served = room), () => undefined);
      this.named.set(name, opening);
      entry = opening;
    }
    try {
      const room = await entry.room;
      clearTimeout(entry.idle);
      return { ok: true, room };
    } catch (error) {
      if (this.named.get(name) === entry) this.named.delete(name);
      this.options.shared.logger.log('error', 'room-open-failed', { name, error: (error as Error).message });
      return { ok: false, why: 'open-failed' };
    }
  }

  /** Every open room, the default one first. */
  async rooms(): Promise<ServedRoom[]> {
    const named = await Promise.all([...this.named.values()].map((entry) => entry.room.catch(() => null)));
    return [this.options.defaultRoom, ...named.filter((room) => room !== null)];
  }

  /** The rooms open now, the default one first: for the heartbeat. */
  openNow(): ServedRoom[] {
    return [this.options.defaultRoom, ...[...this.named.values()].flatMap((entry) => (entry.served ? [entry.served] : []))];
  }

  /** A socket of `room` closed: a named room left without any is closed after `roomIdleMs`. */
  socketClosed(room: ServedRoom): void {
    const name = room.name;
    if (name === null || room.connections.size > 0) return;
    const entry = this.named.get(name);
    if (!entry) return;
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => {
      if (room.connections.size > 0 || this.options.shared.isShuttingDown() || this.named.get(name) !== entry) return;
      this.named.delete(name);
      const closed = this.close(room).finally(() => this.closing.delete(name));
      this.closing.set(name, closed);
    }, this.options.shared.limits.roomIdleMs);
    entry.idle.unref();
  }

  /** Closes every named room's store, after the caller stopped new sockets; then `finish` them. */
  async waitForClosing(): Promise<void> {
    for (const entry of this.named.values()) clearTimeout(entry.idle);
    await Promise.all(this.closing.values());
  }

  private async close(room: ServedRoom): Promise<void> {
    await room.closeStore();
    await room.finish();
    this.options.shared.logger.log('info', 'room-closed', { name: room.name ?? undefined });
  }

  private async open(name: string, keys: ServerKeys): Promise<ServedRoom> {
    const dataDir = namedRoomDir(this.options.dataDir, name);
    const unlock = takeDataDir(dataDir);
    try {
      const master = await openRoomSecretFile(dataDir, keys, await readRoomId(dataDir));
      const opened = await openRoomWithSecret(dataDir, master);
      return await ServedRoom.open({ dataDir, opened, name, shared: this.options.shared, onFatal: (error) => this.options.onFatal(error), unlock });
    } catch (error) {
      unlock();
      throw error;
    }
  }
}
