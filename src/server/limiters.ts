// Abuse limits that need state: a token bucket per connection, and failed handshakes per address.

/** Allows `burst` frames at once and `perSecond` sustained. */
export class TokenBucket {
  private tokens: number;
  private updated = Date.now();

  constructor(private readonly perSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface AuthBackoffOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly backoffMs: number;
  readonly maxAddresses: number;
}

interface AddressRecord {
  failures: number[];
  blockedUntil: number;
}

/**
 * More than `maxFailures` failed handshakes within `windowMs` from one address blocks it for
 * `backoffMs`. Memory is bounded: at most `maxAddresses` are remembered (oldest first out).
 */
export class AuthBackoff {
  private readonly addresses = new Map<string, AddressRecord>();

  constructor(private readonly options: AuthBackoffOptions) {}

  isBlocked(address: string): boolean {
    const record = this.addresses.get(address);
    return record !== undefined && record.blockedUntil > Date.now();
  }

  /** Records a failure; true when this failure blocks the address. */
  fail(address: string): boolean {
    const now = Date.now();
    const record = this.addresses.get(address) ?? { failures: [], blockedUntil: 0 };
    record.failures = record.failures.filter((at) => at > now - this.options.windowMs);
    record.failures.push(now);
    const blocked = record.failures.length > this.options.maxFailures;
    if (blocked) {
      record.blockedUntil = now + this.options.backoffMs;
      record.failures = [];
    }
    // Re-inserting keeps the map in least-recently-failed order for eviction.
    this.addresses.delete(address);
    this.addresses.set(address, record);
    if (this.addresses.size > this.options.maxAddresses) this.addresses.delete(this.addresses.keys().next().value!);
    return blocked;
  }

  /** Forgets addresses with nothing left to remember; called from the server's periodic tick. */
  prune(): void {
    const now = Date.now();
    for (const [address, record] of this.addresses) {
      if (record.blockedUntil <= now && record.failures.every((at) => at <= now - this.options.windowMs)) this.addresses.delete(address);
    }
  }
}
