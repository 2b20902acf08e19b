// Search through a room's whole history, in the extension host (the panel holds no keys): the
// match rule, and the walk from the newest page to the oldest that opens every message and streams
// what matches. Edits and deletes are folded by the panel's own rule (protocol/edits.ts), so a
// message is found by the text it reads now. Free of the vscode API for plain-Node tests.
import type { ChatMessage, HistoryPage } from '../../client';
import { EditBook, isAmendment } from '../../protocol/edits';
import type { ChatItem, SearchResult } from '../../protocol/panel';
import { MAX_SEARCH_EXCERPT_LENGTH, MAX_SEARCH_RESULTS } from '../../protocol/limits';
import { oldestSeq } from './panelState';

/** Combining marks, which NFD splits off their letters: folded away, so "e" finds "é". */
const MARKS = /\p{M}/gu;

/** One code point as searches compare it: lower case, its accents dropped. */
function foldChar(char: string): string {
  // Lower case first: "İ" lowers to "i" plus a combining dot, which the second step drops.
  return char.toLowerCase().normalize('NFD').replace(MARKS, '');
}

/**
 * A text folded for comparison, and where each of its UTF-16 units came from in the original, so
 * that a match in the folded text marks the original's characters. Folded code point by code point
 * (the query the same way), so both sides agree whatever the context.
 */
export interface Folded {
  readonly text: string;
  /** For each unit of `text`, the index of the original's code point it came from; one more entry: the original's length. */
  readonly origin: readonly number[];
}

export function fold(original: string): Folded {
  let text = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of original) {
    const folded = foldChar(char);
    text += folded;
    for (let unit = 0; unit < folded.length; unit++) origin.push(index);
    index += char.length;
  }
  origin.push(original.length);
  return { text, origin };
}

/** The part of a text that matched, in UTF-16 units of the original: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Where the folded query first occurs in the text, as the original's span; undefined when it does
 * not. The span takes the matched code points whole, with the marks the fold dropped after them.
 */
export function findIn(text: string, foldedQuery: string): Span | undefined {
  if (foldedQuery === '') return undefined;
  const folded = fold(text);
  const at = folded.text.indexOf(foldedQuery);
  if (at < 0) return undefined;
  const last = folded.origin[at + foldedQuery.length - 1];
  let after = at + foldedQuery.length;
  while (after < folded.text.length && folded.origin[after] === last) after++;
  return { start: folded.origin[at], end: folded.origin[after] };
}

/**
 * What a result shows of a long text: a window around the match (from a little before it), with
 * the span moved into it. An ellipsis marks a cut.
 */
export function excerpt(text: string, span: Span | undefined, maxLength = MAX_SEARCH_EXCERPT_LENGTH): { text: string; span?: Span } {
  if (text.length <= maxLength) return span ? { text, span } : { text };
  const lead = span ? Math.max(0, Math.min(span.start - EXCERPT_LEAD, text.length - (maxLength - 1))) : 0;
  const from = wholeCodePoint(text, lead);
  const head = from > 0 ? '…' : '';
  const room = from + maxLength - head.length;
  // A cut at the end takes one unit for its ellipsis.
  const to = room >= text.length ? text.length : wholeCodePoint(text, room - 1);
  const cut = head + text.slice(from, to) + (to < text.length ? '…' : '');
  if (!span) return { text: cut };
  const shift = head.length - from;
  return { text: cut, span: { start: span.start + shift, end: Math.min(span.end, to) + shift } };
}

/** Characters of context an excerpt keeps before its match. */
const EXCERPT_LEAD = 40;

/** `index`, moved back off the second half of a surrogate pair. */
function wholeCodePoint(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  return index > 0 && unit >= 0xdc00 && unit <= 0xdfff ? index - 1 : index;
}

/** The query as searches compare it; an empty one (blank) finds nothing. */
export function foldQuery(query: string): string {
  return fold(query.trim()).text;
}

/**
 * A message as a search result: found by its text (the span marks the match) or, failing that, by
 * its sender's name. Undefined when neither matches.
 */
export function matchMessage(item: { readonly username: string; readonly text: string }, foldedQuery: string): SearchResult['match'] | undefined {
  const inText = findIn(item.text, foldedQuery);
  if (inText) return { field: 'text', ...inText };
  const inName = findIn(item.username, foldedQuery);
  return inName && { field: 'username', ...inName };
}

/** Where a walk gets its pages: the page before `beforeSeq` (undefined: the newest), ascending by seq. */
export type ReadPage = (beforeSeq: number | undefined) => Promise<HistoryPage>;

export interface WalkOptions {
  readonly query: string;
  readonly read: ReadPage;
  /** The panel's item for a message (the host's one mapping); undefined for one the panel cannot show. */
  readonly toItem: (message: ChatMessage) => ChatItem | undefined;
  /** Results found on one page, newest first; called once per page that had any. */
  readonly found: (results: readonly SearchResult[]) => void;
  /** Whether the walk should stop: a new query or the closed search box. */
  readonly cancelled: () => boolean;
  readonly maxResults?: number;
}

export interface WalkEnd {
  /** Results found in all. */
  readonly count: number;
  /** Stopped at the cap with older history unread. */
  readonly capped: boolean;
  /** Stopped because cancelled() said so. */
  readonly cancelled: boolean;
}

/**
 * Walks the history from the newest page to the oldest, newest message first, until the start of
 * the room, the cap or cancellation. Edits and deletes are newer than what they change, so by the
 * time a message comes up, every edit of it the walk will see has been seen: it is matched on its
 * current text, and a deleted one is no result. Reactions, edits and deletes are no results.
 */
export async function walkHistory(options: WalkOptions): Promise<WalkEnd> {
  const { read, toItem, found, cancelled } = options;
  const maxResults = options.maxResults ?? MAX_SEARCH_RESULTS;
  const query = foldQuery(options.query);
  const edits = new EditBook();
  let count = 0;
  let before: number | undefined;
  while (!cancelled()) {
    const page = await read(before);
    if (cancelled()) break;
    const items = page.messages.flatMap((message) => toItem(message) ?? []);
    edits.add(items.filter(isAmendment));
    const results: SearchResult[] = [];
    let stoppedEarly = false;
    for (const item of [...items].reverse()) {
      if (count + results.length >= maxResults) {
        stoppedEarly = true;
        break;
      }
      const result = resultFor(item, edits, query);
      if (result) results.push(result);
    }
    count += results.length;
    if (results.length > 0) found(results);
    if (count >= maxResults) return { count, capped: stoppedEarly || page.hasMore, cancelled: false };
    const oldest = oldestSeq(page.messages);
    if (!page.hasMore || oldest === undefined || oldest <= 1) return { count, capped: false, cancelled: false };
    before = oldest;
  }
  return { count, capped: false, cancelled: true };
}

/** A message as a result, by its current text; undefined for one that is no result or does not match. */
function resultFor(item: ChatItem, edits: EditBook, query: string): SearchResult | undefined {
  if (item.react !== undefined || isAmendment(item) || item.seq === undefined) return undefined;
  const text = edits.currentText(item);
  if (text === undefined) return undefined;
  const match = matchMessage({ username: item.username, text }, query);
  if (!match) return undefined;
  const shown = excerpt(text, match.field === 'text' ? match : undefined);
  const mark = match.field === 'text' ? (shown.span && { field: 'text' as const, ...shown.span }) : match;
  return { id: item.id, seq: item.seq, username: item.username, timestamp: item.timestamp, text: shown.text, ...(mark ? { match: mark } : {}) };
}
