// What the books of messages that name other messages share (reactions, edits and deletes):
// entries grouped by the message they name, bounded in all with the oldest targets dropped first,
// and the lowest seq held, so that paging back goes past pages that hold only such messages. Shared
// by the panel and the host; no Node or DOM API here.

/** Whether `a` is later than `b`: by the sender's clock, then by id (so arrival order changes nothing). */
export function later(a: { readonly timestamp: number; readonly id: string }, b: { readonly timestamp: number; readonly id: string }): boolean {
  return a.timestamp !== b.timestamp ? a.timestamp > b.timestamp : a.id > b.id;
}

export abstract class TargetBook<T> {
  /** Target id → what is held for it. Maps keep insertion order: oldest targets first. */
  protected readonly targets = new Map<string, T>();
  /** Entries held in all, for the bound. */
  protected entries = 0;
  private oldest: number | undefined;

  constructor(private readonly maxEntries: number) {}

  /** Lowest seq of any entry held. */
  get oldestSeq(): number | undefined {
    return this.oldest;
  }

  clear(): void {
    this.targets.clear();
    this.entries = 0;
    this.oldest = undefined;
  }

  protected noteSeq(seq: number | undefined): void {
    if (seq !== undefined && (this.oldest === undefined || seq < this.oldest)) this.oldest = seq;
  }

  /** How many entries a target holds. */
  protected abstract sizeOf(held: T): number;

  /** Drops the oldest targets' entries (not `keep`'s) until the entries are within the bound. */
  protected trim(keep: string): void {
    for (const [target, held] of this.targets) {
      if (this.entries <= this.maxEntries) return;
      if (target === keep) continue;
      this.entries -= this.sizeOf(held);
      this.targets.delete(target);
    }
  }
}
