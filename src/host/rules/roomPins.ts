// The room each server address served at its last verified connection, so that a server presenting
// another room at that address (a port squatter, a machine in the middle of ws://) is refused before
// the client sends it anything but the refusal. A room id is not a secret; it lives in global state.
import type { StateStore } from './stateStore';

const KEY = 'secureChat.roomPins';
/** Addresses remembered at most; the oldest pin goes first. */
export const MAX_PINS = 256;
const ROOM_ID = /^[0-9a-f]{32}$/;

export class RoomPins {
  constructor(private readonly state: StateStore) {}

  /** The hex room id pinned for `address`, if any. */
  get(address: string): string | undefined {
    const pin = this.all()[address];
    return typeof pin === 'string' && ROOM_ID.test(pin) ? pin : undefined;
  }

  pin(address: string, roomId: string): Thenable<void> | undefined {
    if (this.get(address) === roomId || !ROOM_ID.test(roomId)) return undefined;
    const pins = Object.entries(this.all()).filter(([pinned]) => pinned !== address).slice(-(MAX_PINS - 1));
    return this.state.update(KEY, Object.fromEntries([...pins, [address, roomId]]));
  }

  /** After the user chose to trust the room the address presents now. */
  forget(address: string): Thenable<void> {
    return this.state.update(KEY, Object.fromEntries(Object.entries(this.all()).filter(([pinned]) => pinned !== address)));
  }

  private all(): Record<string, unknown> {
    const value = this.state.get<unknown>(KEY);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
  }
}
