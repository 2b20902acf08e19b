// The messages the panel holds, oldest first, and their display rows. Appends extend the rows in
// place (so the list only renders what is new); a reset or a prepend rebuilds them, because older
// history can change the grouping at its boundary.
//
// The panel holds a bounded window of the conversation: at most MAX_MESSAGES messages and
// MAX_TEXT_UNITS characters of text and code. A flood of new messages drops the oldest (they stay
// on the server, and scrolling up pages them back in while there is room); history paging stops
// at the bound. Without it a peer could grow the page's memory and the list without limit.
import type { ChatItem, DeliveryStatus } from '../protocol/panel';
import { Row, rowsAfter } from './timeline';

/** Most messages the panel keeps: about fifty pages of history at the largest page size. */
export const MAX_MESSAGES = 10_000;
/** Most UTF-16 units of text and code the panel keeps (32 MB), a few hundred maximal messages. */
export const MAX_TEXT_UNITS = 16 * 1024 * 1024;
/** Trimming goes this far below the bound, so a steady flood rebuilds the rows once per this many messages. */
const TRIM_SLACK = MAX_MESSAGES / 10;
/** The latest time `Date` can represent (ms since the epoch); later timestamps would throw in every date API. */
export const MAX_DATE_MS = 8.64e15;

export type Change =
  | { readonly kind: 'reset' }
  /** The rows were rebuilt with the oldest messages dropped (the bound). */
  | { readonly kind: 'rebuilt' }
  | { readonly kind: 'appended'; readonly from: number }
  | { readonly kind: 'updated'; readonly rows: readonly number[] };

/** Messages live only in their rows, so there is one copy to keep current. */
export class Conversation {
  private rowList: Row[] = [];
  /** Row index of each message id. */
  private rowOf = new Map<string, number>();
  /** Text and code units held, for the bound. */
  private units = 0;
  /** Older messages were dropped to stay within the bound. */
  private trimmedOldest = false;

  /** Whether older messages were dropped (since the last reset) to stay within the bound. */
  get trimmed(): boolean {
    return this.trimmedOldest;
  }

  /** At the bound: paging in older history would only drop it again. */
  get full(): boolean {
    return this.rowOf.size >= MAX_MESSAGES - TRIM_SLACK || this.units >= MAX_TEXT_UNITS * 0.9;
  }

  get rows(): readonly Row[] {
    return this.rowList;
  }

  get size(): number {
    return this.rowOf.size;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  item(id: string): ChatItem | undefined {
    const row = this.rowOf.get(id);
    const found = row === undefined ? undefined : this.rowList[row];
    return found?.kind === 'message' ? found.item : undefined;
  }

  /** How many messages from the one with this id on (it included) pass `test`. */
  countFrom(id: string, test: (item: ChatItem) => boolean): number {
    const start = this.rowOf.get(id);
    if (start === undefined) return 0;
    let count = 0;
    for (let i = start; i < this.rowList.length; i++) {
      const row = this.rowList[i];
      if (row.kind === 'message' && test(row.item)) count++;
    }
    return count;
  }

  /** Sequence number of the oldest stored message, for "load older". */
  oldestSeq(): number | undefined {
    for (const row of this.rowList) if (row.kind === 'message' && row.item.seq !== undefined) return row.item.seq;
    return undefined;
  }

  reset(items: readonly ChatItem[]): Change {
    this.trimmedOldest = false;
    this.rebuild(dedupe(items, new Set()));
    return { kind: 'reset' };
  }

  /** Older history in front; the rows are rebuilt, as grouping at the old top may change. */
  prepend(items: readonly ChatItem[]): void {
    this.rebuild([...dedupe(items, new Set(this.rowOf.keys())), ...this.messages()]);
  }

  /** History that came again live: each where its timestamp puts it (after any of the same time); rows are rebuilt. */
  placeByTime(items: readonly ChatItem[]): void {
    const placed = this.messages();
    for (const item of dedupe(items, new Set(this.rowOf.keys()))) {
      let index = placed.length;
      while (index > 0 && placed[index - 1].timestamp > item.timestamp) index--;
      placed.splice(index, 0, item);
    }
    this.rebuild(placed);
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
    const unique = dedupe(fresh, new Set()).map(displayable);
    if (unique.length > 0) {
      const from = this.rowList.length;
      this.addRows(rowsAfter(this.lastMessage(), unique));
      changes.push({ kind: 'appended', from });
    }
    if (this.overBound()) {
      this.rebuild(this.messages());
      return [{ kind: 'rebuilt' }];
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
    const shown = displayable(item);
    this.units += unitsOf(shown) - unitsOf(current.item);
    this.rowList[row] = { ...current, item: shown };
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

  private overBound(): boolean {
    return this.rowOf.size > MAX_MESSAGES || this.units > MAX_TEXT_UNITS;
  }

  /** Rebuilds the rows from `items`, keeping only the newest that fit the bound. */
  private rebuild(items: readonly ChatItem[]): void {
    let first = firstWithin(items, MAX_MESSAGES, MAX_TEXT_UNITS);
    if (first > 0) {
      // Trimming to 90% means a flood rebuilds the rows once per TRIM_SLACK messages, not per message.
      first = firstWithin(items, MAX_MESSAGES - TRIM_SLACK, MAX_TEXT_UNITS * 0.9);
      this.trimmedOldest = true;
    }
    this.rowList = [];
    this.rowOf.clear();
    this.units = 0;
    this.addRows(rowsAfter(undefined, items.slice(first).map(displayable)));
  }

  private addRows(rows: readonly Row[]): void {
    for (const row of rows) {
      if (row.kind === 'message') {
        this.rowOf.set(row.key, this.rowList.length);
        this.units += unitsOf(row.item);
      }
      this.rowList.push(row);
    }
  }
}

/** Index of the oldest item from which the rest holds at most `count` messages and `units` units (at least the newest one). */
function firstWithin(items: readonly ChatItem[], count: number, units: number): number {
  let first = items.length;
  let held = 0;
  while (first > 0 && items.length - first < count) {
    held += unitsOf(items[first - 1]);
    if (held > units && first < items.length) break;
    first--;
  }
  return first;
}

function unitsOf(item: ChatItem): number {
  return item.text.length + (item.snippet?.code.length ?? 0);
}

/** A timestamp `Date` cannot hold (a sender's clock is the sender's word) shows as the latest one it can. */
function displayable(item: ChatItem): ChatItem {
  return item.timestamp > MAX_DATE_MS ? { ...item, timestamp: MAX_DATE_MS } : item;
}

/** Drops repeated ids (within `items` and against `seen`), keeping the first. */
function dedupe(items: readonly ChatItem[], seen: Set<string>): ChatItem[] {
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}
