// Exponential back-off with full jitter: the n-th delay is uniform in [0, min(cap, base * 2^n)], so
// clients that lost the same server do not all come back in the same instant.
import { randomInt } from 'crypto';
import { ChatClientError } from './errors';

export interface BackoffOptions {
  /** Ceiling of the first delay. Default 500 ms. */
  readonly baseMs?: number;
  /** No delay is ever longer. Default 30 s. */
  readonly capMs?: number;
  /** Uniform integer in [0, maxExclusive); tests pass a fixed one. Default crypto.randomInt. */
  readonly random?: (maxExclusive: number) => number;
}

/** randomInt's range limit. */
const MAX_CAP_MS = 2 ** 47;

export class Backoff {
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: (maxExclusive: number) => number;
  private attempts = 0;

  constructor(options: BackoffOptions = {}) {
    const { baseMs = 500, capMs = 30_000, random = (max: number) => randomInt(max) } = options;
    if (!Number.isSafeInteger(baseMs) || !Number.isSafeInteger(capMs) || baseMs < 1 || capMs < baseMs || capMs > MAX_CAP_MS) {
      throw new ChatClientError('invalid-option', `back-off needs integers 1 <= baseMs <= capMs <= ${MAX_CAP_MS}`);
    }
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.random = random;
  }

  /** Delays handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The largest delay the given (0-based) attempt can get. */
  ceiling(attempt: number): number {
    // Past 2^52 the product is no longer exact, and the cap is long reached anyway.
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(attempt, 52));
  }

  next(): number {
    const ceiling = this.ceiling(this.attempts);
    this.attempts += 1;
    return this.random(ceiling + 1);
  }

  reset(): void {
    this.attempts = 0;
  }
}
