// A deterministic random stream for the fuzzer: SHA-256 of a printed seed and a counter, so a failing
// run can be replayed with RELIABILITY_SEED=<hex>. Math.random is not seedable (and not allowed here).
import { createHash, randomBytes } from 'crypto';

export const SEED_ENV = 'RELIABILITY_SEED';

export class SeededRandom {
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0;

  constructor(readonly seed: Buffer) {}

  /** The seed from RELIABILITY_SEED, or a fresh one. */
  static fromEnvironment(): SeededRandom {
    const given = process.env[SEED_ENV];
    return new SeededRandom(given ? Buffer.from(given, 'hex') : randomBytes(16));
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let filled = 0; filled < length;) {
      if (this.offset === this.block.length) {
        this.block = createHash('sha256').update(this.seed).update(String(this.counter++)).digest();
        this.offset = 0;
      }
      const take = Math.min(length - filled, this.block.length - this.offset);
      this.block.copy(out, filled, this.offset, this.offset + take);
      filled += take;
      this.offset += take;
    }
    return out;
  }

  /** An integer in [0, max). */
  below(max: number): number {
    return Math.floor((this.bytes(4).readUInt32BE(0) / 2 ** 32) * max);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}
