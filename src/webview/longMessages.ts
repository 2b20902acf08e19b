// Very long messages are shown collapsed to their first lines, with "Show more" to read the rest
// and "Show less" to fold it again. Which are open is the panel's memory for this page only.
import type { ChatItem } from '../protocol/panel';

/** Lines (a text line of up to LINE_CHARS characters, or a snippet line) past which a message is collapsed. */
export const COLLAPSE_AFTER_LINES = 15;
/** Characters counted as one line of a long line of text: about a side bar's width. */
const LINE_CHARS = 60;

/** Lines the message's text and snippet take, roughly as the panel wraps them. */
function lines(item: ChatItem): number {
  const text = item.text.length === 0 ? 0 : item.text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / LINE_CHARS)), 0);
  return text + (item.snippet ? item.snippet.code.split('\n').length : 0);
}

/** Whether the message is long enough to be shown collapsed until the user opens it. */
export function isLong(item: ChatItem): boolean {
  return lines(item) > COLLAPSE_AFTER_LINES;
}

/** The long messages the user opened. */
export class ExpandedMessages {
  private readonly open = new Set<string>();

  has(id: string): boolean {
    return this.open.has(id);
  }

  toggle(id: string): void {
    if (!this.open.delete(id)) this.open.add(id);
  }
}
