// Abuse limits that need state: token buckets (per connection, per address, per room), failed
// handshakes per address, and the count of sockets not yet authenticated.

/** Allows `burst` frames at once and `perSecond` sustained. */
export class TokenBucket {
  private tokens: number;
  private updated = Date.now();

  constructor(private readonly perSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  /** Whether `amount` tokens are there now, without taking them. */
  has(amount = 1): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
    return this.tokens >= amount;
  }

  take(amount = 1): boolean {
    if (!this.has(amount)) return false;
    this.tokens -= amount;
    return true;
  }
}

/**
 * One token bucket per address, shared by all its connections. At most `maxAddresses` are kept
 * (least recently used first out); a forgotten address starts again with a full burst.
 */
export class AddressBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly perSecond: number, private readonly burst: number, private readonly maxAddresses: number) {}

  get(address: string): TokenBucket {
    const bucket = this.buckets.get(address) ?? new TokenBucket(this.perSecond, this.burst);
    this.buckets.delete(address);
    this.buckets.set(address, bucket);
    if (this.buckets.size > this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value!);
    return bucket;
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

export interface UnauthenticatedOptions {
  readonly maxTotal: number;
  readonly maxPerAddress: number;
}

/**
 * Sockets that have not authenticated yet, counted from their TCP accept: in all and per address.
 * Memory is bounded by `maxTotal`: only addresses with a socket counted are remembered.
 */
export class UnauthenticatedSockets {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly options: UnauthenticatedOptions) {}

  /** Counts a new socket in; false, and not counted, when it would pass either cap. */
  admit(address: string): boolean {
    const count = this.perAddress.get(address) ?? 0;
    if (this.total >= this.options.maxTotal || count >= this.options.maxPerAddress) return false;
    this.total += 1;
    this.perAddress.set(address, count + 1);
    return true;
  }

  /** The socket authenticated or closed: called once for each socket admitted. */
  release(address: string): void {
    const count = this.perAddress.get(address) ?? 0;
    if (count === 0) return;
    this.total -= 1;
    if (count === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, count - 1);
  }
}
