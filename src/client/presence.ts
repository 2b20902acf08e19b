// Who is online: one entry per connection, keyed by its encrypted username block (unique per
// connection), so the same name online twice leaves only when both of its connections have left.

export class Presence {
  private readonly online = new Map<string, string>();

  /** Sorted, each name once. */
  names(): string[] {
    return [...new Set(this.online.values())].sort((a, b) => a.localeCompare(b));
  }

  /** Each method returns whether the list of names changed. */
  replace(entries: Iterable<readonly [block: Buffer, name: string]>): boolean {
    const before = this.names();
    this.online.clear();
    for (const [block, name] of entries) this.online.set(block.toString('hex'), name);
    return !sameNames(before, this.names());
  }

  join(block: Buffer, name: string): boolean {
    return this.changes(() => this.online.set(block.toString('hex'), name));
  }

  leave(block: Buffer): boolean {
    return this.changes(() => this.online.delete(block.toString('hex')));
  }

  clear(): boolean {
    return this.changes(() => this.online.clear());
  }

  private changes(update: () => void): boolean {
    const before = this.names();
    update();
    return !sameNames(before, this.names());
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
