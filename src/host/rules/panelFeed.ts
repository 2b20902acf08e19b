// The path from the host to a visible panel. An update goes out at once when the path is quiet;
// what follows within a short window is gathered and sent at its end, consecutive new messages as
// one update. A window that gathers more new messages than the panel should render one by one is
// replaced by a fresh snapshot: the user then sees the latest messages (PanelState's snapshot) and
// pages back to the rest with "load older". Without the bound, a server holding the password could
// post the panel one message at a time as fast as it sends them. Free of the vscode API for tests.
import type { PanelUpdate } from '../../protocol/panel';

/** How long updates are gathered after one went out. */
export const FEED_WINDOW_MS = 100;
/** New messages per window beyond which the panel gets a fresh snapshot instead. */
export const MAX_FEED_ITEMS = 200;

export interface FeedSink {
  post(update: PanelUpdate): void;
  /** Posts a snapshot of the current state: the latest messages, their delivery, who is online. */
  resync(): void;
}

/** Runs `run` after `ms`; returns the function that cancels it. */
export type Schedule = (run: () => void, ms: number) => () => void;

/** New messages in an update: appended, or placed by time; a page of older history is asked for. */
const newMessages = (update: PanelUpdate): number => (update.type === 'messages' && update.position !== 'prepend' ? update.items.length : 0);

export class PanelFeed {
  private queue: PanelUpdate[] = [];
  /** Cancels the open window; undefined while the path is quiet. */
  private cancelWindow: (() => void) | undefined;

  constructor(private readonly sink: FeedSink, private readonly schedule: Schedule) {}

  push(update: PanelUpdate): void {
    if (this.cancelWindow) {
      this.queue.push(update);
      return;
    }
    this.sink.post(update);
    this.openWindow();
  }

  /** A snapshot went out by other means: what is queued is in it already. */
  discard(): void {
    this.queue = [];
  }

  dispose(): void {
    this.cancelWindow?.();
    this.cancelWindow = undefined;
    this.queue = [];
  }

  private openWindow(): void {
    this.cancelWindow = this.schedule(() => this.flush(), FEED_WINDOW_MS);
  }

  private flush(): void {
    this.cancelWindow = undefined;
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0) return;
    if (queued.reduce((count, update) => count + newMessages(update), 0) > MAX_FEED_ITEMS) {
      this.sink.resync();
      // A snapshot holds everything else queued but the errors for the user to read and search results.
      for (const update of queued) if (update.type === 'error' || update.type === 'searchResults') this.sink.post(update);
    } else {
      for (const update of mergeAppends(queued)) this.sink.post(update);
    }
    this.openWindow();
  }
}

/** Consecutive appends become one update (the last one's `hasOlder` is the current one). */
function mergeAppends(updates: readonly PanelUpdate[]): PanelUpdate[] {
  const merged: PanelUpdate[] = [];
  for (const update of updates) {
    const last = merged.at(-1);
    if (last?.type === 'messages' && last.position === 'append' && update.type === 'messages' && update.position === 'append') {
      merged[merged.length - 1] = { ...update, items: [...last.items, ...update.items] };
    } else {
      merged.push(update);
    }
  }
  return merged;
}
