// Room keys cost about 150 ms of PBKDF2, so they are derived once per room and kept for the session:
// reconnects reuse them and do not ask for the password again. They are forgotten when the server
// rejects them, so that the next connect asks the user again.
import type { RoomKeys, RoomParams } from '../crypto';

/** Equal exactly when two rooms derive the same keys from the same password. */
export function roomFingerprint(room: RoomParams): string {
  return `${room.roomId.toString('hex')}:${room.kdf.name}:${room.kdf.iterations}:${room.kdf.salt.toString('hex')}`;
}

export class RoomKeyCache {
  private entry: { readonly room: string; readonly keys: RoomKeys } | undefined;

  get(room: RoomParams): RoomKeys | undefined {
    return this.entry?.room === roomFingerprint(room) ? this.entry.keys : undefined;
  }

  set(room: RoomParams, keys: RoomKeys): void {
    this.entry = { room: roomFingerprint(room), keys };
  }

  forget(): void {
    this.entry = undefined;
  }
}
