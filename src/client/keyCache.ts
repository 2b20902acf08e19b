// The room's PBKDF2 output costs about 150 ms to derive, so it is derived once per room and kept in
// memory for the session: reconnects reuse it and do not ask for the password again. It is
// forgotten when the server refuses it, so that the next connect asks the user again.
import type { RoomParams } from '../crypto';

/** Equal exactly when two rooms derive the same secret from the same password. */
export function roomFingerprint(room: RoomParams): string {
  return `${room.roomId.toString('hex')}:${room.kdf.name}:${room.kdf.iterations}:${room.kdf.salt.toString('hex')}`;
}

export class RoomSecretCache {
  private entry: { readonly room: string; readonly secret: Buffer } | undefined;

  get(room: RoomParams): Buffer | undefined {
    return this.entry?.room === roomFingerprint(room) ? this.entry.secret : undefined;
  }

  set(room: RoomParams, secret: Buffer): void {
    this.forget();
    this.entry = { room: roomFingerprint(room), secret };
  }

  forget(): void {
    this.entry?.secret.fill(0);
    this.entry = undefined;
  }
}
