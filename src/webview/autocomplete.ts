// "@" in the composer offers the names of the members online: typing filters them by prefix
// (case-insensitive), Up and Down move, Enter or Tab puts the chosen name in, Escape closes the
// list. Names may hold spaces, so the query is everything from an "@" that starts a word up to the
// caret, on one line. The list holds names only; the text is the user's until they pick.
import { USERNAME_MAX_BYTES } from '../crypto/limits';
import { WORD_CHARACTER } from '../protocol/mentions';
import { element, isolate } from './dom';

/** Names the list shows at most. */
export const MAX_SUGGESTIONS = 8;

/** The "@…" being typed: where its "@" is, and what follows it up to the caret. */
export interface MentionQuery {
  readonly start: number;
  readonly prefix: string;
}

/** The mention being typed at `caret`, or null when the caret is not in one. */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const line = text.slice(0, caret);
  const start = line.lastIndexOf('@');
  if (start === -1) return null;
  const prefix = line.slice(start + 1);
  // A name is at most 16 bytes, so at most 16 characters: a longer query is no name being typed.
  if (prefix.length > USERNAME_MAX_BYTES || prefix.includes('\n') || prefix.startsWith(' ')) return null;
  if (start > 0 && WORD_CHARACTER.test(line[start - 1])) return null;
  return { start, prefix };
}

/** The names starting with `prefix`, ignoring case, in the order given, each once, at most MAX_SUGGESTIONS. */
export function mentionCandidates(names: readonly string[], prefix: string): string[] {
  const wanted = prefix.toLocaleLowerCase();
  return [...new Set(names)].filter((name) => name.toLocaleLowerCase().startsWith(wanted)).slice(0, MAX_SUGGESTIONS);
}

/** The text with the query replaced by "@name " and where the caret goes after it. */
export function insertMention(text: string, query: MentionQuery, caret: number, name: string): { readonly text: string; readonly caret: number } {
  const mention = `@${name} `;
  const rest = text.slice(caret);
  return { text: text.slice(0, query.start) + mention + (rest.startsWith(' ') ? rest.slice(1) : rest), caret: query.start + mention.length };
}

/** The list under the query: which name is chosen, and the DOM showing it. */
export class MentionList {
  readonly root: HTMLElement;
  private names: readonly string[] = [];
  private chosen = 0;

  /** `pick` runs with the name clicked. */
  constructor(private readonly doc: Document, private readonly pick: (name: string) => void) {
    this.root = element(doc, 'ul', 'mention-list');
    this.root.id = 'mention-list';
    this.root.setAttribute('role', 'listbox');
    this.root.hidden = true;
    // Pressed, not clicked: a click would take the focus from the composer first.
    this.root.addEventListener('mousedown', (event) => {
      const option = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-name]') : null;
      if (!option?.dataset.name) return;
      event.preventDefault();
      this.pick(option.dataset.name);
    });
  }

  get open(): boolean {
    return this.names.length > 0;
  }

  /** The name Enter or Tab would put in. */
  get selected(): string | undefined {
    return this.names[this.chosen];
  }

  /** The id of the chosen option, for the composer's aria-activedescendant. */
  get selectedId(): string | undefined {
    return this.open ? `mention-${this.chosen}` : undefined;
  }

  show(names: readonly string[]): void {
    const keep = this.selected;
    this.names = names;
    this.chosen = keep === undefined ? 0 : Math.max(0, names.indexOf(keep));
    this.render();
  }

  /** Up (-1) or Down (+1), wrapping around. */
  move(step: number): void {
    if (!this.open) return;
    this.chosen = (this.chosen + step + this.names.length) % this.names.length;
    this.render();
  }

  close(): void {
    this.show([]);
  }

  private render(): void {
    this.root.hidden = !this.open;
    this.root.replaceChildren(...this.names.map((name, index) => {
      const option = isolate(element(this.doc, 'li', index === this.chosen ? 'mention-option chosen' : 'mention-option', `@${name}`));
      option.id = `mention-${index}`;
      option.dataset.name = name;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === this.chosen));
      return option;
    }));
  }
}
