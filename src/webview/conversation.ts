// The messages the panel holds, oldest first, and their display rows. Appends extend the rows in
// place (so the list only renders what is new); a reset or a prepend rebuilds them, because older
// history can change the grouping at its boundary.
import type { ChatItem, DeliveryStatus } from '../protocol/panel';
import { Row, rowsAfter } from './timeline';

export type Change =
  | { readonly kind: 'reset' }
  | { readonly kind: 'prepended'; readonly rows: number }
  | { readonly kind: 'appended'; readonly from: number }
  | { readonly kind: 'updated'; readonly rows: readonly number[] };

/** Messages live only in their rows, so there is one copy to keep current. */
export class Conversation {
  private rowList: Row[] = [];
  /** Row index of each message id. */
  private rowOf = new Map<string, number>();

  get rows(): readonly Row[] {
    return this.rowList;
  }

  get size(): number {
    return this.rowOf.size;
  }

  /** Sequence number of the oldest stored message, for "load older". */
  oldestSeq(): number | undefined {
    for (const row of this.rowList) if (row.kind === 'message' && row.item.seq !== undefined) return row.item.seq;
    return undefined;
  }

  reset(items: readonly ChatItem[]): Change {
    this.rebuild(dedupe(items, new Set()));
    return { kind: 'reset' };
  }

  prepend(items: readonly ChatItem[]): Change {
    const before = this.rowList.length;
    this.rebuild([...dedupe(items, new Set(this.rowOf.keys())), ...this.messages()]);
    return { kind: 'prepended', rows: this.rowList.length - before };
  }

  /** New messages go at the end; ones already shown (a pending message now stored) are replaced. */
  append(items: readonly ChatItem[]): Change[] {
    const updated: number[] = [];
    const fresh: ChatItem[] = [];
    for (const item of items) {
      const row = this.rowOf.get(item.id);
      if (row === undefined) fresh.push(item);
      else if (this.replace(row, item)) updated.push(row);
    }
    const changes: Change[] = updated.length > 0 ? [{ kind: 'updated', rows: updated }] : [];
    const unique = dedupe(fresh, new Set());
    if (unique.length > 0) {
      const from = this.rowList.length;
      this.addRows(rowsAfter(this.lastMessage(), unique));
      changes.push({ kind: 'appended', from });
    }
    return changes;
  }

  setDelivery(id: string, status: DeliveryStatus, reason: string | undefined): Change | null {
    const row = this.rowOf.get(id);
    if (row === undefined) return null;
    const current = this.rowList[row];
    if (current.kind !== 'message') return null;
    // A reason belongs to this status only, so an absent one clears the previous.
    return this.replace(row, { ...current.item, status, reason }) ? { kind: 'updated', rows: [row] } : null;
  }

  private replace(row: number, item: ChatItem): boolean {
    const current = this.rowList[row];
    if (current.kind !== 'message') return false;
    this.rowList[row] = { ...current, item };
    return true;
  }

  private messages(): ChatItem[] {
    return this.rowList.flatMap((row) => (row.kind === 'message' ? [row.item] : []));
  }

  private lastMessage(): ChatItem | undefined {
    for (let i = this.rowList.length - 1; i >= 0; i--) {
      const row = this.rowList[i];
      if (row.kind === 'message') return row.item;
    }
    return undefined;
  }

  private rebuild(items: readonly ChatItem[]): void {
    this.rowList = [];
    this.rowOf.clear();
    this.addRows(rowsAfter(undefined, items));
  }

  private addRows(rows: readonly Row[]): void {
    for (const row of rows) {
      if (row.kind === 'message') this.rowOf.set(row.key, this.rowList.length);
      this.rowList.push(row);
    }
  }
}

/** Drops repeated ids (within `items` and against `seen`), keeping the first. */
function dedupe(items: readonly ChatItem[], seen: Set<string>): ChatItem[] {
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}
