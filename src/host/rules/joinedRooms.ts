// The rooms this workspace's chat is in, by server address, and which one the panel shows, so that
// VS Code starting again rejoins them (passwords stay in SecretStorage, never here). An address is
// not a secret: the list lives in the workspace's state, checked when read back like any other input, since
// storage can be edited or written by an older version. A room the user disconnected from stays in
// the list, marked offline, so the next start leaves it offline too; one that Stop Server took
// offline is marked so, and connects again when that server starts.
import * as v from 'valibot';
import { addressProblem, canonicalAddress } from '../../client';
import { check, flag, list, textWhere } from '../../protocol/check';
import { MAX_JOINED_ROOMS } from '../../protocol/limits';
import type { OfflineReason } from './panelState';
import type { StateStore } from './stateStore';

const KEY = 'secureChat.joinedRooms';

export interface JoinedRoom {
  readonly address: string;
  /** The user disconnected (or stopped the server it is on): not rejoined at start. */
  readonly offline: boolean;
  /** Offline since Stop Server stopped the server it is on (not disconnected by the user): back online when that server starts. */
  readonly serverStopped?: true;
}

const address = () => textWhere((value) => addressProblem(value) === null, 'must be a server address');
const JoinedRoomsSchema = v.object({
  // serverStopped is optional: a list an older version wrote has none, and an older version reading this one ignores it.
  rooms: list(v.object({ address: address(), offline: flag(), serverStopped: v.optional(v.literal(true)) }, 'must be an object'), MAX_JOINED_ROOMS),
  active: v.optional(address()),
}, 'must be an object');
type Stored = v.InferOutput<typeof JoinedRoomsSchema>;

/** What the panel, the quick pick and a notification call a room: its name, or host:port for a server's default room. */
export function roomLabel(roomAddress: string): string {
  const url = new URL(roomAddress);
  const name = url.pathname.slice(1);
  return name === '' ? url.host : name;
}

export class JoinedRooms {
  constructor(private readonly state: StateStore) {}

  /** In the order joined; empty when nothing (or nothing readable) is stored. */
  get rooms(): readonly JoinedRoom[] {
    return this.read().rooms;
  }

  /** The room the panel showed last. */
  get active(): string | undefined {
    return this.read().active;
  }

  /** Joined, or connected again: online, in its place in the list (a new one last; none beyond the limit, which the controller refuses to join). */
  joined(roomAddress: string): Thenable<void> | undefined {
    const stored = this.read();
    const known = stored.rooms.find((room) => room.address === roomAddress);
    if (known?.offline === false) return undefined;
    if (!known && stored.rooms.length >= MAX_JOINED_ROOMS) return undefined;
    const rooms = known
      ? stored.rooms.map((room) => (room === known ? { address: roomAddress, offline: false } : room))
      : [...stored.rooms, { address: roomAddress, offline: false }];
    return this.write({ ...stored, rooms });
  }

  /** Shown in the panel now; also a room not in the list (this window's own server's room, which its restart brings back). */
  shown(roomAddress: string): Thenable<void> | undefined {
    const stored = this.read();
    return stored.active === roomAddress ? undefined : this.write({ ...stored, active: roomAddress });
  }

  /**
   * Disconnected by the user, or (`why` 'server-stopped') by Stop Server: kept, and left offline at
   * the next start; the server's rooms until it starts again (stoppedWithServer). A room offline
   * already keeps why it is.
   */
  wentOffline(roomAddress: string, why: OfflineReason = 'disconnected'): Thenable<void> | undefined {
    const stored = this.read();
    if (!stored.rooms.some((room) => room.address === roomAddress && !room.offline)) return undefined;
    const offline: JoinedRoom = { address: roomAddress, offline: true, ...(why === 'server-stopped' ? { serverStopped: true } : {}) };
    return this.write({ ...stored, rooms: stored.rooms.map((room) => (room.address === roomAddress ? offline : room)) });
  }

  /** The rooms Stop Server took offline on the server `onServer` matches: Start Server connects them again. */
  stoppedWithServer(onServer: (roomAddress: string) => boolean): string[] {
    return this.rooms.filter((room) => room.serverStopped === true && onServer(room.address)).map((room) => room.address);
  }

  /** Left: forgotten. */
  left(roomAddress: string): Thenable<void> {
    const stored = this.read();
    const rooms = stored.rooms.filter((room) => room.address !== roomAddress);
    return this.write({ rooms, ...(stored.active === roomAddress ? {} : { active: stored.active }) });
  }

  /**
   * Rejoins every room not left offline whose password is stored; the others are back in the room
   * row, offline, until the user connects them (never a prompt at start-up). Each goes in the
   * background but the one shown last. Resolves with the addresses joined; a room that fails does
   * not stop the others, and once all were tried the failures reject it, with counts only (an
   * error's words may name a room's address).
   */
  async rejoin(
    password: (roomAddress: string) => Thenable<string | undefined>,
    join: (roomAddress: string, how: { readonly background: boolean; readonly connect: boolean }) => Promise<boolean>,
  ): Promise<string[]> {
    const active = this.active;
    const joined: string[] = [];
    const rooms = this.rooms;
    let failed = 0;
    for (const room of rooms) {
      try {
        const connect = !room.offline && (await password(room.address)) !== undefined;
        if ((await join(room.address, { background: room.address !== active, connect })) && connect) joined.push(room.address);
      } catch {
        failed++;
      }
    }
    if (failed > 0) throw new Error(`${failed} of ${rooms.length} joined rooms could not be put back (${joined.length} connected)`);
    return joined;
  }

  /** Addresses in their canonical form (an older version kept them as typed), each room once. */
  private read(): Stored {
    const checked = check(JoinedRoomsSchema, this.state.get<unknown>(KEY));
    if (!checked.ok) return { rooms: [] };
    const rooms: JoinedRoom[] = [];
    for (const room of checked.value.rooms) {
      const canonical = canonicalAddress(room.address);
      if (!rooms.some((known) => known.address === canonical)) rooms.push({ address: canonical, offline: room.offline, ...(room.serverStopped ? { serverStopped: true } : {}) });
    }
    const { active } = checked.value;
    return active === undefined ? { rooms } : { rooms, active: canonicalAddress(active) };
  }

  private write(stored: Stored): Thenable<void> {
    return this.state.update(KEY, stored.active === undefined ? { rooms: stored.rooms } : stored);
  }
}
