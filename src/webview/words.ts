// The panel's words: English (protocol/panelText.ts) until the host's snapshot brings them in the
// user's language. One panel per page, so one set of words for the page.
import { PANEL_TEXT, PanelTextKey, fillIn } from '../protocol/panelText';

let current: Readonly<Partial<Record<string, string>>> = {};

/** The snapshot's `text`; absent (or a key left out) means English. */
export function useWords(texts: Readonly<Partial<Record<string, string>>> | undefined): void {
  current = texts ?? {};
}

/** The text for `key` in the host's language, with {0}, {1}... filled in. */
export function say(key: PanelTextKey, ...args: (string | number)[]): string {
  return fillIn(current[key] ?? PANEL_TEXT[key], ...args);
}
