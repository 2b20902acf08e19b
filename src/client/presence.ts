// Who is online: one entry per connection, keyed by its encrypted username block (unique per
// connection), so the same name online twice leaves only when both of its connections have left.
// A server holding the password can send any number of join and leave frames, so each costs O(1)
// map work, at most MAX_ONLINE connections are tracked, and the sorted list is built only when read.
import { MAX_ONLINE } from '../protocol/limits';

export class Presence {
  private readonly online = new Map<string, string>();
  /** Connections per name: a name joins the list at its first and leaves it at its last. */
  private readonly counts = new Map<string, number>();
  private sorted: string[] | undefined;

  constructor(private readonly cap = MAX_ONLINE) {}

  /** Sorted, each name once. Built at most once per change. */
  names(): string[] {
    this.sorted ??= [...this.counts.keys()].sort((a, b) => a.localeCompare(b));
    return [...this.sorted];
  }

  /** Each method returns whether the list of names changed. */
  replace(entries: Iterable<readonly [block: Buffer, name: string]>): boolean {
    const before = this.names();
    this.online.clear();
    this.counts.clear();
    for (const [block, name] of entries) this.add(block.toString('hex'), name);
    this.sorted = undefined;
    return !sameNames(before, this.names());
  }

  /** A join beyond the cap is ignored: no room has more members online than a server accepts. */
  join(block: Buffer, name: string): boolean {
    const key = block.toString('hex');
    const previous = this.online.get(key);
    if (previous === name) return false;
    if (previous === undefined && this.online.size >= this.cap) return false;
    const left = previous !== undefined && this.remove(key, previous);
    return this.changed(this.add(key, name) || left);
  }

  leave(block: Buffer): boolean {
    const key = block.toString('hex');
    const name = this.online.get(key);
    return name !== undefined && this.changed(this.remove(key, name));
  }

  clear(): boolean {
    const had = this.online.size > 0;
    this.online.clear();
    this.counts.clear();
    return this.changed(had);
  }

  /** Whether the name is new to the list. */
  private add(key: string, name: string): boolean {
    this.online.set(key, name);
    const count = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, count);
    return count === 1;
  }

  /** Whether the name left the list. */
  private remove(key: string, name: string): boolean {
    this.online.delete(key);
    const count = (this.counts.get(name) ?? 1) - 1;
    if (count > 0) this.counts.set(name, count);
    else this.counts.delete(name);
    return count <= 0;
  }

  private changed(changed: boolean): boolean {
    if (changed) this.sorted = undefined;
    return changed;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
