// The room's secrets while the server runs: the PBKDF2 output that CPace uses as its password-related
// string, and every key epoch. A rotation or a password change is written to room.json (atomically)
// before it takes effect, one at a time, so what the server uses is always what a restart would load.
import { EpochKeys, RoomParams, deriveMasterSecret, epochKeys } from '../crypto';
import { EpochRecord, LoadedRoom, newEpoch, saveRoom, withFreshSalt } from './room';

/** Why a new epoch began: carried in logs only. */
export type EpochReason = 'rotate' | 'age' | 'count' | 'password-change';

export interface EpochChange {
  readonly epoch: EpochRecord;
  readonly reason: EpochReason;
}

export class RoomSecrets {
  private loaded: LoadedRoom;
  private readonly keys = new Map<number, EpochKeys>();
  /** The epoch that was current before the last change, and until when sends under it are accepted. */
  private previous: { readonly number: number; readonly until: number } | undefined;
  /** Changes run one after another: each starts from what the previous one saved. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    loaded: LoadedRoom,
    private readonly dataDir: string,
    /** How long a send sealed under the previous epoch is still accepted: messages in flight at a change. */
    private readonly graceMs: number,
  ) {
    this.loaded = loaded;
  }

  get room(): RoomParams {
    return this.loaded.room;
  }

  /** CPace's PRS: the room's PBKDF2 output, never stored. */
  get prs(): Buffer {
    return this.loaded.master;
  }

  get current(): EpochRecord {
    return this.loaded.epochs.at(-1)!;
  }

  /** Every epoch, oldest first: a member reads the whole history, so it gets them all. */
  get epochs(): readonly EpochRecord[] {
    return this.loaded.epochs;
  }

  /** The keys of any epoch the room has (for presence blocks and reading), or undefined. */
  keysOf(number: number): EpochKeys | undefined {
    const cached = this.keys.get(number);
    if (cached) return cached;
    const epoch = this.loaded.epochs.find((candidate) => candidate.number === number);
    if (!epoch) return undefined;
    const keys = epochKeys(epoch.secret, this.loaded.room.roomId, epoch.number);
    this.keys.set(number, keys);
    return keys;
  }

  /** Keys a new message may be sealed under: the current epoch, or the previous one for `graceMs` after a change. */
  keysForSending(number: number, now = Date.now()): EpochKeys | undefined {
    const accepted = number === this.current.number || (number === this.previous?.number && now < this.previous.until);
    return accepted ? this.keysOf(number) : undefined;
  }

  /** Whether the automatic rules call for a new epoch, given the seq the next message will get. */
  due(nextSeq: number, limits: { readonly rotateAfterMs: number; readonly rotateAfterMessages: number }, now = Date.now()): EpochReason | null {
    if (now - this.current.createdAt >= limits.rotateAfterMs) return 'age';
    if (nextSeq - this.current.firstSeq >= limits.rotateAfterMessages) return 'count';
    return null;
  }

  /** A new random epoch, saved, then current. `nextSeq` is the seq the next stored message will get. */
  rotate(reason: Exclude<EpochReason, 'password-change'>, nextSeq: number): Promise<EpochChange> {
    return this.enqueue(async () => ({ epoch: await this.apply({ ...this.loaded, epochs: [...this.loaded.epochs, this.nextEpoch(nextSeq)] }), reason }));
  }

  /**
   * A new password: a fresh salt, the new PBKDF2 output, every epoch secret and the directory key
   * sealed again under it (in the same write) and a new epoch. Once saved, the old password admits no one.
   */
  changePassword(password: string, nextSeq: number): Promise<EpochChange> {
    return this.enqueue(async () => {
      const room = withFreshSalt(this.loaded.room);
      const master = await deriveMasterSecret(password, room.kdf);
      const epoch = await this.apply({ ...this.loaded, room, master, epochs: [...this.loaded.epochs, this.nextEpoch(nextSeq)] });
      return { epoch, reason: 'password-change' as const };
    });
  }

  private nextEpoch(nextSeq: number): EpochRecord {
    return newEpoch(this.current.number + 1, nextSeq);
  }

  private async apply(next: LoadedRoom): Promise<EpochRecord> {
    const epoch = next.epochs.at(-1)!;
    const saved = { ...next, current: epoch.number };
    await saveRoom(this.dataDir, saved);
    this.previous = { number: this.current.number, until: Date.now() + this.graceMs };
    this.loaded = saved;
    return epoch;
  }

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
