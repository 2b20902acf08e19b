// The windowed message list: only rows near the viewport exist in the DOM, absolutely positioned
// inside a canvas as tall as all rows together. Heights start as estimates and are replaced by
// measurements once a row has been on screen; scroll position is kept on the row the user is
// reading (or on the bottom, when they are following the conversation).
import { HeightIndex, visibleRange } from './heightIndex';
import type { Row } from './timeline';

export interface ListCallbacks {
  render(row: Row): HTMLElement;
  estimate(row: Row, width: number): number;
  /** The user scrolled near the top: time to ask for older history. */
  nearTop(): void;
}

/** Rendered beyond the viewport on both sides, so fast scrolling rarely shows blank space. */
const OVERSCAN_PX = 800;
/** Distance from the top at which older history is requested. */
const NEAR_TOP_PX = 400;
/** Tolerance for "at the bottom" (sub-pixel scroll positions). */
const BOTTOM_SLACK_PX = 8;

interface Mounted {
  readonly element: HTMLElement;
  index: number;
}

export class VirtualList {
  private rows: readonly Row[] = [];
  private readonly heights = new HeightIndex();
  /** Measured heights by row key, kept across rebuilds; cleared when the width changes. */
  private readonly measured = new Map<string, number>();
  private readonly mounted = new Map<string, Mounted>();
  private readonly stale = new Set<string>();
  private width = 0;
  private following = true;
  private frame: number | null = null;
  private anchor: { key: string; delta: number } | null = null;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly canvas: HTMLElement,
    private readonly callbacks: ListCallbacks,
  ) {
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.onResize()).observe(scroller);
    this.width = scroller.clientWidth;
  }

  /** Whether the view is at the bottom, following new messages. */
  get atBottom(): boolean {
    return this.following;
  }

  /** A new set of rows (snapshot): shows the newest. */
  reset(rows: readonly Row[]): void {
    this.rows = rows;
    this.unmountAll();
    this.heights.reset(rows.map((row) => this.heightOf(row)));
    this.following = true;
    this.schedule();
  }

  /** Rows were rebuilt with older ones in front: keep the row being read where it is. */
  prepended(rows: readonly Row[]): void {
    this.anchor = this.anchor ?? this.currentAnchor();
    this.rows = rows;
    this.heights.reset(rows.map((row) => this.heightOf(row)));
    // Grouping at the old top may have changed, so rows are rendered afresh.
    this.unmountAll();
    this.schedule();
  }

  /** Rows were added at the end; `follow` scrolls to them even when the user had scrolled up. */
  appended(rows: readonly Row[], from: number, follow: boolean): void {
    this.rows = rows;
    for (let i = from; i < rows.length; i++) this.heights.push(this.heightOf(rows[i]));
    if (follow) this.following = true;
    this.schedule();
  }

  /** Rows whose content changed (delivery state): re-rendered if on screen. */
  updated(rows: readonly Row[], indexes: readonly number[]): void {
    this.rows = rows;
    for (const index of indexes) this.stale.add(rows[index].key);
    this.schedule();
  }

  /** Re-renders every mounted row (e.g. the username changed, so mentions did). */
  refresh(): void {
    for (const key of this.mounted.keys()) this.stale.add(key);
    this.schedule();
  }

  scrollToBottom(): void {
    this.following = true;
    this.schedule();
  }

  private heightOf(row: Row): number {
    return this.measured.get(row.key) ?? this.callbacks.estimate(row, this.width);
  }

  private currentAnchor(): { key: string; delta: number } | null {
    const top = this.scroller.scrollTop - this.canvas.offsetTop;
    const index = this.heights.indexAt(Math.max(0, top));
    if (index < 0 || this.following) return null;
    return { key: this.rows[index].key, delta: top - this.heights.offsetOf(index) };
  }

  private onScroll(): void {
    const { scrollTop, clientHeight, scrollHeight } = this.scroller;
    this.following = scrollTop + clientHeight >= scrollHeight - BOTTOM_SLACK_PX;
    if (scrollTop < NEAR_TOP_PX) this.callbacks.nearTop();
    this.schedule();
  }

  private onResize(): void {
    const width = this.scroller.clientWidth;
    if (width === this.width) return this.schedule();
    this.anchor = this.anchor ?? this.currentAnchor();
    this.width = width;
    this.measured.clear();
    this.heights.reset(this.rows.map((row) => this.heightOf(row)));
    this.refresh();
  }

  private schedule(): void {
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.render());
  }

  private unmountAll(): void {
    for (const { element } of this.mounted.values()) element.remove();
    this.mounted.clear();
    this.stale.clear();
  }

  /** Mount the rows in range, measure them, then settle the scroll position. Measuring can change
   *  which rows are in range, so this repeats a few times until it is stable. */
  private render(): void {
    this.frame = null;
    this.anchor = this.anchor ?? this.currentAnchor();
    for (let pass = 0; pass < 3; pass++) {
      this.mountRange();
      const changed = this.measure();
      this.canvas.style.height = `${this.heights.total}px`;
      this.settleScroll();
      if (!changed) break;
    }
    this.anchor = null;
  }

  private mountRange(): void {
    const top = this.following
      ? this.heights.total - this.scroller.clientHeight
      : this.anchor
        ? this.anchorTop(this.anchor)
        : this.scroller.scrollTop - this.canvas.offsetTop;
    const { start, end } = visibleRange(this.heights, top, this.scroller.clientHeight, OVERSCAN_PX);
    const wanted = new Set<string>();
    for (let index = start; index < end; index++) wanted.add(this.rows[index].key);
    for (const [key, entry] of this.mounted) {
      if (!wanted.has(key) || this.stale.has(key)) {
        entry.element.remove();
        this.mounted.delete(key);
      }
    }
    this.stale.clear();
    for (let index = start; index < end; index++) {
      const row = this.rows[index];
      let entry = this.mounted.get(row.key);
      if (!entry) {
        entry = { element: this.callbacks.render(row), index };
        entry.element.setAttribute('role', 'listitem');
        this.canvas.appendChild(entry.element);
        this.mounted.set(row.key, entry);
      }
      entry.index = index;
      entry.element.setAttribute('aria-posinset', String(index + 1));
      entry.element.setAttribute('aria-setsize', String(this.rows.length));
      entry.element.style.transform = `translateY(${this.heights.offsetOf(index)}px)`;
    }
  }

  /** Reads every mounted row's height at once (one layout), then records the differences. */
  private measure(): boolean {
    const entries = [...this.mounted.entries()];
    const sizes = entries.map(([, entry]) => entry.element.offsetHeight);
    let changed = false;
    entries.forEach(([key, entry], i) => {
      this.measured.set(key, sizes[i]);
      if (this.heights.height(entry.index) !== sizes[i]) {
        this.heights.set(entry.index, sizes[i]);
        changed = true;
      }
    });
    if (changed) {
      for (const entry of this.mounted.values()) entry.element.style.transform = `translateY(${this.heights.offsetOf(entry.index)}px)`;
    }
    return changed;
  }

  private anchorTop(anchor: { key: string; delta: number }): number {
    const index = this.rows.findIndex((row) => row.key === anchor.key);
    return index < 0 ? this.scroller.scrollTop - this.canvas.offsetTop : this.heights.offsetOf(index) + anchor.delta;
  }

  private settleScroll(): void {
    if (this.following) this.scroller.scrollTop = this.scroller.scrollHeight;
    else if (this.anchor) this.scroller.scrollTop = this.anchorTop(this.anchor) + this.canvas.offsetTop;
  }
}
