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
  /** The list started or stopped following the bottom (the panel offers "Jump to latest" meanwhile). */
  followingChanged(following: boolean): void;
}

/** Rendered beyond the viewport on both sides, so fast scrolling rarely shows blank space. */
const OVERSCAN_PX = 800;
/** Distance from the top at which older history is requested. */
const NEAR_TOP_PX = 400;
/** Tolerance for "at the bottom" (sub-pixel scroll positions). */
const BOTTOM_SLACK_PX = 8;
/** Room left above a row brought into view, so what comes before it shows too. */
const REVEAL_MARGIN_PX = 24;

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
  private followingBottom = true;
  private frame: number | null = null;
  private anchor: { key: string; delta: number } | null = null;
  /** A reveal is being rendered: if the rows from it fit the view, the list ends at the bottom, following. */
  private revealing = false;
  /** A row to give the keyboard focus once it is rendered (reveal). */
  private focusAfterRender: string | null = null;
  /** scrollTop at the previous scroll event: which way the user moved. */
  private lastScrollTop = 0;

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
    return this.followingBottom;
  }

  private get following(): boolean {
    return this.followingBottom;
  }

  private set following(value: boolean) {
    if (value === this.followingBottom) return;
    this.followingBottom = value;
    this.callbacks.followingChanged(value);
  }

  /**
   * A new set of rows (snapshot): shows the newest, or with `startAt` that row near the top (where
   * the user left off), unless the rows from it fit the view, which then follows the bottom.
   */
  reset(rows: readonly Row[], startAt?: string): void {
    this.rows = rows;
    this.unmountAll();
    this.heights.reset(rows.map((row) => this.heightOf(row)));
    this.anchor = null;
    this.following = true;
    if (startAt !== undefined) this.reveal(startAt);
    this.schedule();
  }

  /**
   * Brings the row with this key into view a little below the top (a reply's parent, the first
   * unread message); the list stops following the bottom unless the row is near it.
   */
  reveal(key: string, focus = false): void {
    if (!this.rows.some((row) => row.key === key)) return;
    this.following = false;
    this.anchor = { key, delta: -REVEAL_MARGIN_PX };
    if (focus) this.focusAfterRender = key;
    this.revealing = true;
    this.schedule();
  }

  /** The mounted element of a row, if it is rendered now. */
  elementOf(key: string): HTMLElement | undefined {
    return this.mounted.get(key)?.element;
  }

  /**
   * Older rows came in front (history the user asked for): the top row in view stays where it is on
   * screen, even at the bottom of a list short enough to fit, so the user keeps their place.
   */
  prepended(rows: readonly Row[]): void {
    this.anchor = this.anchor ?? this.topAnchor();
    if (this.anchor) this.following = false;
    this.replaceRows(rows);
  }

  /** Rows were rebuilt (the oldest dropped at the bound): the row being read stays, or the list keeps following. */
  rebuilt(rows: readonly Row[]): void {
    this.anchor = this.anchor ?? this.currentAnchor();
    this.replaceRows(rows);
  }

  private replaceRows(rows: readonly Row[]): void {
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

  /** The row being read, when the list is not following the bottom. */
  private currentAnchor(): { key: string; delta: number } | null {
    return this.following ? null : this.topAnchor();
  }

  /**
   * The message at the top of the view and how far into it the view starts. A message, not a day
   * separator: a separator's key names the day's first message, which older history can change.
   */
  private topAnchor(): { key: string; delta: number } | null {
    const top = this.scroller.scrollTop - this.canvas.offsetTop;
    let index = this.heights.indexAt(Math.max(0, top));
    if (index < 0) return null;
    while (index < this.rows.length - 1 && this.rows[index].kind !== 'message') index++;
    return { key: this.rows[index].key, delta: top - this.heights.offsetOf(index) };
  }

  /**
   * Moves the keyboard focus to the message above (-1) or below (1) the focused one; with none
   * focused, to the last (or first) message in view. The list scrolls to keep it in view.
   */
  focusMessage(direction: -1 | 1): void {
    const active = this.scroller.ownerDocument.activeElement;
    const current = [...this.mounted.values()].find((entry) => active !== null && entry.element.contains(active));
    const top = Math.max(0, this.scroller.scrollTop - this.canvas.offsetTop);
    let index = current ? current.index + direction : this.heights.indexAt(direction < 0 ? top + this.scroller.clientHeight - 1 : top);
    while (index >= 0 && index < this.rows.length && this.rows[index].kind !== 'message') index += direction;
    if (index < 0 || index >= this.rows.length) return;
    const key = this.rows[index].key;
    if (!this.mounted.has(key)) {
      // Beyond the rendered rows (after a very tall one): bring it in first.
      this.following = false;
      this.anchor = { key, delta: 0 };
      this.renderNow();
    }
    this.mounted.get(key)?.element.focus();
  }

  private onScroll(): void {
    const { scrollTop, clientHeight, scrollHeight } = this.scroller;
    const fromBottom = scrollHeight - clientHeight - scrollTop;
    // Any move up is the user leaving the bottom, however small: a 5 px wheel step and the first
    // frame of a smooth PageUp are within the slack, and snapping back to the bottom cancelled them.
    // At the very bottom the list follows whichever way it got there (a taller panel clamps scrollTop).
    // A move down never leaves the bottom: the event of the list's own scroll to the bottom can
    // arrive after the panel shrank (the composer grew), and must not stop the following.
    if (fromBottom <= 1) this.following = true;
    else if (scrollTop < this.lastScrollTop) this.following = false;
    else if (scrollTop > this.lastScrollTop && fromBottom <= BOTTOM_SLACK_PX) this.following = true;
    this.lastScrollTop = scrollTop;
    if (scrollTop < NEAR_TOP_PX) this.callbacks.nearTop();
    this.schedule();
  }

  /**
   * Runs after layout and before paint: the panel's height changed (the composer grew or shrank, a
   * banner or the error line came or went). Settling now, not in the next frame, means no frame is
   * ever painted with the bottom of the conversation out of view.
   */
  private onResize(): void {
    const width = this.scroller.clientWidth;
    if (width === this.width) return this.renderNow();
    this.anchor = this.anchor ?? this.currentAnchor();
    this.width = width;
    this.measured.clear();
    this.heights.reset(this.rows.map((row) => this.heightOf(row)));
    this.refresh();
  }

  private renderNow(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.render();
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
    if (this.revealing) {
      this.revealing = false;
      // No scroll event says so when the position did not change (the same bottom as before).
      const { scrollTop, clientHeight, scrollHeight } = this.scroller;
      if (scrollHeight - clientHeight - scrollTop <= 1) this.following = true;
    }
    if (this.focusAfterRender !== null) {
      this.mounted.get(this.focusAfterRender)?.element.focus({ preventScroll: true });
      this.focusAfterRender = null;
    }
    // Still near the top after older rows came in (a short page, or a view that did not move): there
    // is no scroll event to ask for the next page, so ask here, or loading would stop at the top.
    if (!this.following && this.rows.length > 0 && this.scroller.scrollTop < NEAR_TOP_PX) this.callbacks.nearTop();
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
    const active = this.scroller.ownerDocument.activeElement;
    let refocus: string | null = null;
    for (const [key, entry] of this.mounted) {
      if (!wanted.has(key) || this.stale.has(key)) {
        // A row re-rendered in place (its delivery state changed) keeps the keyboard focus.
        if (active !== null && entry.element.contains(active) && wanted.has(key)) refocus = key;
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
        // Focusable by the arrow keys (focusMessage), not a Tab stop each: the list is one.
        entry.element.tabIndex = -1;
        this.canvas.appendChild(entry.element);
        this.mounted.set(row.key, entry);
      }
      entry.index = index;
      entry.element.setAttribute('aria-posinset', String(index + 1));
      entry.element.setAttribute('aria-setsize', String(this.rows.length));
      entry.element.style.transform = `translateY(${this.heights.offsetOf(index)}px)`;
      if (row.key === refocus) entry.element.focus({ preventScroll: true });
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
    // The list's own scrolling is no move of the user's. Nor is a taller panel clamping scrollTop: its
    // scroll event can arrive after the panel shrank again (the error line), when the position it
    // reports is above the bottom, and taking that for a move up stopped the list following.
    this.lastScrollTop = this.scroller.scrollTop;
  }
}
