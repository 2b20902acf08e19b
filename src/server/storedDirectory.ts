// The member directory kept in the data directory: members.json holds MemberDirectory's snapshot,
// sealed under the room's directory key (kept in room.json, see room.ts and crypto/directorySealing).
// A claim that binds or renames is written off the message path and acknowledged only once written:
// `saved()` settles when the file holds every claim made so far. Claims made while a write is in
// flight share the next one (a group commit, like the journal's), so a reconnect storm of new
// members costs a few writes, not one each. A claim is rare: the file is rewritten whole, atomically.
import * as fs from 'fs';
import * as path from 'path';
import * as v from 'valibot';
import { CryptoError, openDirectory, sealDirectory } from '../crypto';
import { base64Bytes, encodeBase64 } from '../protocol/base64';
import { check } from '../protocol/check';
import { StartError } from './errors';
import { writeFileAtomic } from './files';
import type { Logger } from './logger';
import { ClaimResult, MemberDirectory } from './memberDirectory';

export const DIRECTORY_FILE = 'members.json';
/** A full directory (10,000 members of 16 names of 16 bytes) seals to under 4 MiB. */
const MAX_SEALED_BYTES = 16 * 2 ** 20;
/** The file's base64 and its JSON frame around it. */
const MAX_FILE_BYTES = Math.ceil(MAX_SEALED_BYTES / 3) * 4 + 1024;

const DirectoryFileSchema = v.object({
  version: v.literal(1, 'must be 1'),
  sealed: base64Bytes(1, MAX_SEALED_BYTES),
}, 'must be an object');

export class StoredDirectory {
  /** Claims that changed the directory since it was loaded, and how many of them the file holds. */
  private changes = 0;
  private savedChanges = 0;
  /** The write scheduled but not begun: a claim made now is in it. */
  private next: Promise<void> | null = null;
  /** The last write scheduled, settled either way: the next one begins after it. */
  private written: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly directory: MemberDirectory,
    private readonly directoryKey: Buffer,
    private readonly roomId: Buffer,
    private readonly logger: Logger,
  ) {}

  /**
   * Loads members.json, or starts empty without one (a data directory from before it was kept).
   * A file that cannot be read, does not open under the room's key or breaks a rule of the
   * directory refuses the start (`store-corrupt`) and is left exactly as it is.
   */
  static async open(dataDir: string, directoryKey: Buffer, roomId: Buffer, logger: Logger): Promise<StoredDirectory> {
    const file = path.join(dataDir, DIRECTORY_FILE);
    const stored = (directory: MemberDirectory) => new StoredDirectory(file, directory, directoryKey, roomId, logger);
    const corrupt = (why: string) => new StartError('store-corrupt', `${file} is not a valid member directory (${why}); it was left as it is`);
    let text: string;
    try {
      if ((await fs.promises.stat(file)).size > MAX_FILE_BYTES) throw corrupt(`larger than ${MAX_FILE_BYTES} bytes`);
      text = await fs.promises.readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof StartError) throw error;
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') return stored(new MemberDirectory());
      throw new StartError('store-corrupt', `${file} cannot be read (${message}); it was left as it is`);
    }
    const json = (value: string) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw corrupt('not JSON');
      }
    };
    const frame = check(DirectoryFileSchema, json(text));
    if (!frame.ok) throw corrupt(frame.error);
    let plaintext: Buffer;
    try {
      plaintext = openDirectory(directoryKey, roomId, frame.value.sealed);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      throw corrupt('it does not open under this room\'s key: damaged, or not this room\'s');
    }
    const restored = MemberDirectory.restore(json(plaintext.toString('utf8')));
    if (!restored.ok) throw corrupt(restored.error);
    return stored(restored.value);
  }

  /** MemberDirectory.claim; a binding or rename is to be written (see `saved`). */
  claim(name: string, publicKey: Uint8Array, at: number): ClaimResult {
    const result = this.directory.claim(name, publicKey, at);
    if (result.kind === 'bound' || result.kind === 'renamed') this.changes += 1;
    return result;
  }

  /**
   * Null when the file holds every claim made so far; otherwise a promise that settles once it does,
   * rejected if that write failed (the claims stay in memory and the next `saved()` writes again).
   */
  saved(): Promise<void> | null {
    return this.savedChanges === this.changes ? null : this.write();
  }

  /** Settles once every write scheduled so far has: a stop waits for it before giving up the lock. */
  close(): Promise<void> {
    return this.written;
  }

  private write(): Promise<void> {
    this.next ??= this.written.then(async () => {
      this.next = null;
      const changes = this.changes;
      try {
        await writeFileAtomic(this.file, this.encode());
      } catch (error) {
        this.logger.log('error', 'directory-write-failed', { error: (error as Error).message });
        throw error;
      }
      this.savedChanges = Math.max(this.savedChanges, changes);
    });
    const writing = this.next;
    this.written = writing.catch(() => undefined);
    return writing;
  }

  private encode(): Buffer {
    const plaintext = Buffer.from(JSON.stringify(this.directory.snapshot()), 'utf8');
    const sealed = sealDirectory(this.directoryKey, this.roomId, plaintext);
    return Buffer.from(`${JSON.stringify({ version: 1, sealed: encodeBase64(sealed) })}\n`, 'utf8');
  }
}
