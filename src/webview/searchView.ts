// The panel's search box and its results. The page holds no keys: it sends the query, the host
// walks and opens the history and streams back what matches (newest first), and a click on a result
// asks the panel to bring that message into view. Results are built from text nodes, the match in a
// <mark>, never from markup.
import type { HostToView, SearchResult } from '../protocol/panel';
import { MAX_SEARCH_QUERY_LENGTH } from '../protocol/limits';
import { button, element, isolate } from './dom';
import { fullTimeLabel } from './timeline';
import { say } from './words';

/** Typing pauses this long before the query goes to the host: one walk per phrase, not per key. */
const QUERY_PAUSE_MS = 250;

export interface SearchHost {
  /** A search of the whole history, named `id`: it stops the one before. */
  search(id: number, query: string): void;
  /** The box closed: the host stops its walk. */
  closed(): void;
  /** A result was chosen: the panel brings the message into view. */
  show(id: string): void;
}

type SearchResults = Extract<HostToView, { type: 'searchResults' }>;

export class SearchView {
  readonly root: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly close: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly results: HTMLElement;
  /** The search whose results are shown; results of any other are late and dropped. */
  private searchId = 0;
  private found = 0;
  private pause: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly doc: Document, private readonly host: SearchHost) {
    this.root = element(doc, 'section', 'search');
    this.root.hidden = true;
    this.input = element(doc, 'input', 'search-input');
    this.input.type = 'search';
    this.input.maxLength = MAX_SEARCH_QUERY_LENGTH;
    this.input.addEventListener('input', () => this.queryChanged());
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.close = button(doc, '×', 'search-close', () => this.hide());
    const row = element(doc, 'div', 'search-row');
    row.append(this.input, this.close);
    this.status = element(doc, 'div', 'search-status');
    this.status.setAttribute('role', 'status');
    this.results = element(doc, 'div', 'search-results');
    this.results.setAttribute('role', 'list');
    this.results.addEventListener('click', (event) => {
      const chosen = event.target instanceof Element ? event.target.closest<HTMLElement>('button.search-result[data-id]') : null;
      if (chosen?.dataset.id) this.host.show(chosen.dataset.id);
    });
    this.root.append(row, this.status, this.results);
    this.applyWords();
  }

  get isOpen(): boolean {
    return !this.root.hidden;
  }

  /** The labels again, in the words the host's snapshot brought. */
  applyWords(): void {
    this.root.setAttribute('aria-label', say('searchLabel'));
    this.input.placeholder = say('searchPlaceholder');
    this.input.setAttribute('aria-label', say('searchLabel'));
    this.close.title = say('searchClose');
    this.close.setAttribute('aria-label', say('searchClose'));
  }

  /** Opens the box (Ctrl+F, Cmd+F, or the command) with the keyboard in it, the last query selected. */
  open(): void {
    this.root.hidden = false;
    this.input.focus();
    this.input.select();
  }

  hide(): void {
    if (!this.isOpen) return;
    clearTimeout(this.pause);
    this.root.hidden = true;
    this.input.value = '';
    this.clear();
    this.host.closed();
  }

  /**
   * The panel got a fresh snapshot: results sent meanwhile may not have reached a hidden page, so an
   * open search runs again.
   */
  restart(): void {
    if (this.isOpen && this.input.value.trim() !== '') this.start();
  }

  handle(message: SearchResults): void {
    if (message.id !== this.searchId || !this.isOpen) return;
    for (const result of message.results) this.results.append(this.renderResult(result));
    this.found += message.results.length;
    this.status.textContent = message.failed ?? this.statusText(message);
  }

  private statusText(message: SearchResults): string {
    const count = this.found === 1 ? say('searchFoundOne') : say('searchFound', this.found.toLocaleString('en-US'));
    if (!message.done) return `${say('searching')} ${this.found > 0 ? count : ''}`.trim();
    if (this.found === 0) return say('searchNone');
    return message.capped ? `${count}. ${say('searchCapped', this.found.toLocaleString('en-US'))}` : count;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.hide();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      this.start();
    } else if (event.key === 'ArrowDown') {
      const first = this.results.querySelector<HTMLElement>('button.search-result');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  private queryChanged(): void {
    clearTimeout(this.pause);
    this.pause = setTimeout(() => this.start(), QUERY_PAUSE_MS);
  }

  /** A new search of what the box holds; an empty box stops the one under way. */
  private start(): void {
    clearTimeout(this.pause);
    const query = this.input.value.trim();
    this.searchId += 1;
    this.clear();
    if (query === '') {
      this.host.closed();
      return;
    }
    this.status.textContent = say('searching');
    this.host.search(this.searchId, query);
  }

  private clear(): void {
    this.found = 0;
    this.results.replaceChildren();
    this.status.textContent = '';
  }

  private renderResult(result: SearchResult): HTMLElement {
    const { doc } = this;
    const item = element(doc, 'button', 'search-result');
    item.type = 'button';
    item.dataset.id = result.id;
    item.setAttribute('role', 'listitem');
    const head = element(doc, 'div', 'search-result-head');
    const name = isolate(element(doc, 'span', 'search-result-name'));
    name.append(...marked(doc, result.username, result.match?.field === 'username' ? result.match : undefined));
    const time = element(doc, 'time', 'search-result-time', fullTimeLabel(result.timestamp));
    time.dateTime = new Date(result.timestamp).toISOString();
    head.append(name, time);
    const text = isolate(element(doc, 'div', 'search-result-text'));
    text.append(...marked(doc, result.text, result.match?.field === 'text' ? result.match : undefined));
    item.append(head, text);
    item.addEventListener('keydown', (event) => this.onResultKey(event, item));
    return item;
  }

  /** Up and Down move between results (Up from the first goes back to the box). */
  private onResultKey(event: KeyboardEvent, item: HTMLElement): void {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    const next = event.key === 'ArrowDown' ? item.nextElementSibling : item.previousElementSibling;
    if (next instanceof HTMLElement) next.focus();
    else if (event.key === 'ArrowUp') this.input.focus();
  }
}

/** The text as nodes, the span (UTF-16 units, checked by the protocol to lie in order) in a <mark>. */
export function marked(doc: Document, text: string, span: { readonly start: number; readonly end: number } | undefined): Node[] {
  if (!span || span.start >= text.length) return [doc.createTextNode(text)];
  const end = Math.min(span.end, text.length);
  const nodes: Node[] = [];
  if (span.start > 0) nodes.push(doc.createTextNode(text.slice(0, span.start)));
  nodes.push(element(doc, 'mark', '', text.slice(span.start, end)));
  if (end < text.length) nodes.push(doc.createTextNode(text.slice(end)));
  return nodes;
}
