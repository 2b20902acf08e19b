// Row heights and their running sums for the windowed message list. A Fenwick tree gives the offset
// of any row and the row at any offset in O(log n), appends in O(log n) and height changes in
// O(log n), so 100k rows cost nothing until a few of them are on screen.

export class HeightIndex {
  private heights: number[] = [];
  /** 1-based Fenwick tree over `heights`. */
  private tree: number[] = [0];

  get count(): number {
    return this.heights.length;
  }

  get total(): number {
    return this.offsetOf(this.heights.length);
  }

  height(index: number): number {
    return this.heights[index];
  }

  /** Replaces every height (a reset or a prepend) in O(n). */
  reset(heights: readonly number[]): void {
    this.heights = heights.slice();
    this.tree = [0, ...heights];
    for (let i = 1; i < this.tree.length; i++) {
      const parent = i + (i & -i);
      if (parent < this.tree.length) this.tree[parent] += this.tree[i];
    }
  }

  push(height: number): void {
    this.heights.push(height);
    const i = this.heights.length;
    // Node i covers rows (i - lowbit(i), i]: the new height plus the sum of the rows before it in that span.
    this.tree.push(height + this.offsetOf(i - 1) - this.offsetOf(i - (i & -i)));
  }

  set(index: number, height: number): void {
    const delta = height - this.heights[index];
    if (delta === 0) return;
    this.heights[index] = height;
    for (let i = index + 1; i < this.tree.length; i += i & -i) this.tree[i] += delta;
  }

  /** Top of row `index` (the sum of the heights before it); `count` gives the total. */
  offsetOf(index: number): number {
    let sum = 0;
    for (let i = index; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  /** The row that contains `offset` (clamped to the rows that exist); -1 when there are none. */
  indexAt(offset: number): number {
    if (this.heights.length === 0) return -1;
    let index = 0;
    let remaining = offset;
    for (let step = 1 << Math.floor(Math.log2(this.tree.length)); step > 0; step >>= 1) {
      const next = index + step;
      if (next < this.tree.length && this.tree[next] <= remaining) {
        index = next;
        remaining -= this.tree[next];
      }
    }
    return Math.min(Math.max(index, 0), this.heights.length - 1);
  }
}

export interface Range {
  /** First row to render. */
  readonly start: number;
  /** One past the last row to render. */
  readonly end: number;
}

/** Rows that intersect [scrollTop - overscan, scrollTop + viewport + overscan). */
export function visibleRange(index: HeightIndex, scrollTop: number, viewport: number, overscan: number): Range {
  if (index.count === 0) return { start: 0, end: 0 };
  const start = index.indexAt(Math.max(0, scrollTop - overscan));
  const end = index.indexAt(scrollTop + viewport + overscan) + 1;
  return { start, end: Math.min(end, index.count) };
}
