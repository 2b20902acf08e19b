// Whether the room may take more messages: the data directory's files against the quota, and the
// file system's free space against a floor. At the quota, below the floor, or after a write failed
// for lack of space (ENOSPC, EDQUOT) the room is read-only: history is served, sends are refused
// with `storage-full`, the server stays up. Both figures are measured again every `checkMs`, and
// the room takes messages again once they allow it. Between measurements each append is added, so
// the quota holds between checks too. A measurement reads the directory listing: a few files.
import * as fs from 'fs';
import * as path from 'path';
import { MAX_ENVELOPE_V3_BYTES } from '../crypto';
import type { Logger } from './logger';

export interface StorageLimits {
  readonly quotaBytes: number;
  readonly minFreeBytes: number;
  readonly checkMs: number;
}

type FullReason = 'quota' | 'disk-space' | 'write-failed';

/** A largest envelope's journal record: read-only mode ends only when one would fit. */
const LARGEST_RECORD_BYTES = 24 + MAX_ENVELOPE_V3_BYTES;

export class StorageGuard {
  private used = 0;
  private free = Number.POSITIVE_INFINITY;
  /** Why the room is read-only, or null; set by a refusal or a failed write, cleared by a measurement. */
  private full: FullReason | null = null;
  private readonly timer: NodeJS.Timeout;
  private measuring: Promise<void> | null = null;

  private constructor(private readonly dataDir: string, private readonly limits: StorageLimits, private readonly logger: Logger) {
    this.timer = setInterval(() => void this.measure(), limits.checkMs);
    this.timer.unref();
  }

  static async open(dataDir: string, limits: StorageLimits, logger: Logger): Promise<StorageGuard> {
    const guard = new StorageGuard(dataDir, limits, logger);
    await guard.measure();
    return guard;
  }

  /** Whether a message of `bytes` on disk must be refused now; a refusal makes the room read-only. */
  refuses(bytes: number): boolean {
    if (this.full === null) this.enter(this.reason(bytes));
    return this.full !== null;
  }

  /** A message of `bytes` was written. */
  appended(bytes: number): void {
    this.used += bytes;
    this.free -= bytes;
  }

  /** A write failed for lack of space: read-only until a measurement finds room. */
  writeFailedFull(): void {
    this.logger.log('warn', 'storage-write-failed', {});
    if (this.full === null) this.enter('write-failed');
  }

  close(): void {
    clearInterval(this.timer);
  }

  private reason(bytes: number): 'quota' | 'disk-space' | null {
    if (this.used + bytes > this.limits.quotaBytes) return 'quota';
    if (this.free - bytes < this.limits.minFreeBytes) return 'disk-space';
    return null;
  }

  private measure(): Promise<void> {
    this.measuring ??= (async () => {
      try {
        let used = 0;
        for (const entry of await fs.promises.readdir(this.dataDir, { withFileTypes: true })) {
          if (entry.isFile()) used += (await fs.promises.lstat(path.join(this.dataDir, entry.name)).catch(() => ({ size: 0 }))).size;
        }
        const stats = await fs.promises.statfs(this.dataDir);
        this.used = used;
        this.free = stats.bavail * stats.bsize;
        if (this.full !== null && this.reason(LARGEST_RECORD_BYTES) === null) {
          this.full = null;
          this.logger.log('info', 'storage-available', this.figures());
        }
      } catch (error) {
        this.logger.log('warn', 'storage-check-failed', { error: (error as Error).message });
      }
    })().finally(() => (this.measuring = null));
    return this.measuring;
  }

  private enter(reason: FullReason | null): void {
    if (reason === null) return;
    this.full = reason;
    this.logger.log('error', 'storage-full', { reason, ...this.figures() });
  }

  private figures() {
    return { used: this.used, quota: this.limits.quotaBytes, free: Number.isFinite(this.free) ? this.free : undefined };
  }
}
