// One display row as DOM: a day separator, or a message with (for the first of a group) the sender
// and time, its text as markdown, an optional code snippet with its file reference, and the
// delivery state of the user's own messages. Clicks on links and references are handled by the
// list (event delegation) through the data attributes set here.
import { isMessageId, type Snippet } from '../protocol/body';
import { AVATAR_COLOURS, ChatItem, isWorkspaceRelativePath } from '../protocol/panel';
import { element, isolate } from './dom';
import { say } from './words';
import { renderCodeBlock, renderMarkdown } from './markdown';
import { mentionsMe } from '../protocol/mentions';
import { QUICK_REACTIONS, ReactionSummary } from './reactions';
import type { Amended } from '../protocol/edits';
import { Row, dayLabel, fullTimeLabel, timeLabel } from './timeline';
import { trustBadge } from './statusViews';
import { isLong } from './longMessages';

export interface RowContext {
  readonly me: string | null;
  /** Reference time for "Today"/"Yesterday". */
  readonly now: number;
  /** Id of the message the "New messages" divider goes above, if any. */
  readonly firstUnread: string | null;
  /** Id of a message just brought into view (a reply's parent), shown highlighted for a moment. */
  readonly highlighted: string | null;
  /** The reactions on a message. */
  reactions(id: string): readonly ReactionSummary[];
  /** The message as its author's edits and delete leave it; undefined when unchanged (or not given). */
  amended?(item: ChatItem): Amended | undefined;
  /** Whether the reader asked to see a message's earlier versions. */
  versionsOpen?(id: string): boolean;
  /** Whether the user opened this long message ("Show more"); without it every long message shows collapsed. */
  expanded?(id: string): boolean;
}

/** A stable colour per name (FNV-1a plus a mixing step, which spreads short names better), so a sender keeps theirs. */
export function avatarColour(username: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) hash = Math.imul(hash ^ username.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  return ((hash ^ (hash >>> 12)) >>> 0) % AVATAR_COLOURS;
}

/** A row as DOM. One row that cannot be rendered becomes a placeholder: it never stops the list. */
export function renderRow(doc: Document, row: Row, context: RowContext): HTMLElement {
  try {
    return renderRowContent(doc, row, context);
  } catch {
    return element(doc, 'div', 'row message unreadable', say('unreadable'));
  }
}

function renderRowContent(doc: Document, row: Row, context: RowContext): HTMLElement {
  if (row.kind === 'day') {
    const separator = element(doc, 'div', 'row day');
    separator.appendChild(element(doc, 'span', 'day-label', dayLabel(row.day, context.now)));
    return separator;
  }
  return renderMessage(doc, row.item, row.head, context);
}

function renderMessage(doc: Document, item: ChatItem, head: boolean, context: RowContext): HTMLElement {
  const amended = context.amended?.(item);
  const text = amended?.text ?? item.text;
  const classes = ['row', 'message', item.status];
  if (head) classes.push('head');
  if (item.own) classes.push('own');
  if (amended?.deleted) classes.push('deleted');
  if (!item.own && mentionsMe(text, context.me)) classes.push('mentions-me');
  if (item.id === context.highlighted) classes.push('highlighted');
  const row = element(doc, 'div', classes.join(' '));
  row.dataset.id = item.id;
  if (item.id === context.firstUnread) row.appendChild(renderUnreadDivider(doc));
  if (head) row.append(renderAvatar(doc, item), renderMeta(doc, item));
  // The host's warning for a key under a verified member's name: on every such message, not only a group's first.
  if (item.warning !== undefined) row.appendChild(element(doc, 'div', 'trust-warning', item.warning));
  const body = element(doc, 'div', 'body');
  body.title = fullTimeLabel(item.timestamp);
  row.appendChild(body);
  // Nothing of a deleted message is drawn but where it was: no text, quote, snippet, reactions or actions.
  if (amended?.deleted) {
    body.appendChild(element(doc, 'span', 'deleted-note', say('messageDeleted')));
    return row;
  }
  if (item.replyTo) body.appendChild(renderReplyQuote(doc, item.replyTo));
  if (text.length > 0) body.appendChild(renderMarkdown(doc, text, context.me));
  if (item.snippet) body.appendChild(renderSnippet(doc, item.snippet));
  if (amended && amended.versions.length > 1) body.appendChild(renderEdited(doc, item.id, amended, context.versionsOpen?.(item.id) === true, context.me));
  if (isLong({ ...item, text })) {
    const open = context.expanded?.(item.id) ?? false;
    body.classList.toggle('collapsed', !open);
    const toggle = actionButton(doc, item.id, 'expand', open ? say('showLess') : say('showMore'), open ? say('showLess') : say('showMore'), undefined, 'link-button expand');
    toggle.setAttribute('aria-expanded', String(open));
    row.appendChild(toggle);
  }
  const reactions = context.reactions(item.id);
  if (reactions.length > 0) row.appendChild(renderReactions(doc, item.id, reactions));
  if (item.own && item.status !== 'sent') row.appendChild(renderDelivery(doc, item));
  row.appendChild(renderActions(doc, item));
  return row;
}

/** One line: who wrote the parent and how it starts; a click shows the parent (the list handles it). */
export function renderReplyQuote(doc: Document, replyTo: NonNullable<ChatItem['replyTo']>): HTMLElement {
  const quote = element(doc, 'button', 'reply-quote');
  quote.type = 'button';
  quote.tabIndex = -1;
  quote.title = say('showParent');
  quote.dataset.replyTo = replyTo.id;
  quote.append(isolate(element(doc, 'span', 'reply-author', replyTo.username)), isolate(element(doc, 'span', 'reply-text', replyTo.text || say('snippetQuote'))));
  return quote;
}

/**
 * What can be done with a message, shown on hover and while the message has the keyboard focus; not
 * Tab stops each (the list is one): with a message focused, its keys do the same (see ChatPanel).
 */
function renderActions(doc: Document, item: ChatItem): HTMLElement {
  const actions = element(doc, 'div', 'actions');
  actions.append(
    ...QUICK_REACTIONS.map((emoji) => actionButton(doc, item.id, 'react', emoji, say('reactWith', emoji), emoji)),
    actionButton(doc, item.id, 'any-emoji', say('anyEmoji'), say('anyEmojiTitle')),
    actionButton(doc, item.id, 'reply', say('reply'), say('replyTitle')),
    actionButton(doc, item.id, 'copy', say('copy'), say('copyTitle')),
  );
  if (mayLink(item)) actions.appendChild(actionButton(doc, item.id, 'copyLink', say('copyLink'), say('copyLinkTitle')));
  if (mayAmend(item)) actions.append(actionButton(doc, item.id, 'edit', say('edit'), say('editTitle')), actionButton(doc, item.id, 'delete', say('deleteMessage'), say('deleteTitle')));
  return actions;
}

/** A link names a message the server stored (by the id every member knows it by): one still on its way has no place in the history yet. */
function mayLink(item: ChatItem): boolean {
  return item.status === 'sent' && isMessageId(item.id);
}

/** The user's own signed messages, once stored, can be edited and deleted. */
export function mayAmend(item: ChatItem): boolean {
  return item.own && item.unsigned !== true && item.status === 'sent';
}

/** "edited", which shows or hides the earlier versions (oldest first, each with its time). */
function renderEdited(doc: Document, id: string, amended: Amended, open: boolean, me: string | null): HTMLElement {
  const box = element(doc, 'div', 'edited');
  const toggle = actionButton(doc, id, 'versions', say('edited'), open ? say('hideVersions') : say('editedTitle'), undefined, 'edited-mark');
  toggle.setAttribute('aria-expanded', String(open));
  box.appendChild(toggle);
  if (!open) return box;
  const list = element(doc, 'ol', 'versions');
  for (const version of amended.versions.slice(0, -1)) {
    const entry = element(doc, 'li', 'version');
    const time = element(doc, 'time', 'time', fullTimeLabel(version.timestamp));
    time.dateTime = new Date(version.timestamp).toISOString();
    entry.append(time, renderMarkdown(doc, version.text, me));
    list.appendChild(entry);
  }
  box.appendChild(list);
  return box;
}

/** A button the list's click handler reads by its data attributes. */
function actionButton(doc: Document, id: string, action: string, label: string, title: string, emoji?: string, className = 'action'): HTMLButtonElement {
  const node = element(doc, 'button', className, label);
  node.type = 'button';
  node.tabIndex = -1;
  node.title = title;
  node.dataset.action = action;
  node.dataset.id = id;
  if (emoji !== undefined) node.dataset.emoji = emoji;
  return node;
}

/** Each emoji with its count; who reacted in the tooltip; a click toggles the user's own. */
function renderReactions(doc: Document, id: string, reactions: readonly ReactionSummary[]): HTMLElement {
  const line = element(doc, 'div', 'reactions');
  for (const { emoji, names, mine } of reactions) {
    const chip = actionButton(doc, id, 'react', `${emoji} ${names.length}`, say('reactedBy', names.join(', '), emoji), emoji, mine ? 'reaction mine' : 'reaction');
    chip.setAttribute('aria-pressed', String(mine));
    line.appendChild(chip);
  }
  return line;
}

function renderUnreadDivider(doc: Document): HTMLElement {
  const divider = element(doc, 'div', 'unread-divider');
  divider.setAttribute('role', 'separator');
  divider.appendChild(element(doc, 'span', 'unread-label', say('unreadDivider')));
  return divider;
}

function renderAvatar(doc: Document, { username, colour }: ChatItem): HTMLElement {
  const initial = Array.from(username.trim())[0] ?? '?';
  // The host picks the colour by the signer's key; unsigned history has only its name.
  const avatar = element(doc, 'div', `avatar avatar-${colour ?? avatarColour(username)}`, initial.toLocaleUpperCase());
  avatar.setAttribute('aria-hidden', 'true');
  return avatar;
}

function renderMeta(doc: Document, item: ChatItem): HTMLElement {
  const meta = element(doc, 'div', 'meta');
  meta.appendChild(isolate(element(doc, 'span', 'author', item.username)));
  if (item.own) meta.appendChild(element(doc, 'span', 'you', '(you)'));
  if (item.verified) meta.appendChild(trustBadge(doc, 'verified'));
  if (item.unsigned) {
    const label = element(doc, 'span', 'unsigned', 'unsigned');
    label.title = 'Sent before messages were signed: nothing proves who sent it.';
    meta.appendChild(label);
  }
  const time = element(doc, 'time', 'time', timeLabel(item.timestamp));
  time.dateTime = new Date(item.timestamp).toISOString();
  time.title = fullTimeLabel(item.timestamp);
  meta.appendChild(time);
  return meta;
}

/** "12" or "12-15": the lines a snippet covers. */
export function lineRange(snippet: Snippet): string {
  return snippet.endLine > snippet.startLine ? `${snippet.startLine}-${snippet.endLine}` : `${snippet.startLine}`;
}

/** Its file and lines: a button that opens them for a workspace path of the plain characters the host opens, else text only. */
function renderReference(doc: Document, snippet: Snippet): HTMLElement {
  const where = [isolate(element(doc, 'span', 'path', snippet.path)), `:${lineRange(snippet)}`];
  if (!isWorkspaceRelativePath(snippet.path)) {
    const text = element(doc, 'span', 'reference-text');
    text.append(...where);
    return text;
  }
  const reference = element(doc, 'button', 'reference');
  reference.append(...where);
  reference.type = 'button';
  reference.title = say('openReference', snippet.path, snippet.startLine);
  reference.dataset.path = snippet.path;
  reference.dataset.line = String(snippet.startLine);
  return reference;
}

function renderSnippet(doc: Document, snippet: Snippet): HTMLElement {
  const box = element(doc, 'figure', 'snippet');
  const caption = element(doc, 'figcaption', 'snippet-header');
  caption.appendChild(renderReference(doc, snippet));
  if (snippet.language) caption.appendChild(isolate(element(doc, 'span', 'language', snippet.language)));
  box.append(caption, renderCodeBlock(doc, snippet.code));
  return box;
}

function renderDelivery(doc: Document, item: ChatItem): HTMLElement {
  const text = item.status === 'pending' ? say('sending') : item.reason ? say('notSentBecause', item.reason) : say('notSent');
  return isolate(element(doc, 'div', 'delivery', text));
}

// Metrics of chat.css, used to guess the height of rows never yet on screen. The guess only has to
// be close: a row is measured as soon as it is rendered, and the list corrects itself.
const LINE_PX = 19;
const CODE_LINE_PX = 17;
const CHAR_PX = 7;
const TEXT_INSET_PX = 52;
const HEAD_PX = 28;
const ROW_PADDING_PX = 4;
const DAY_PX = 36;
const SNIPPET_CHROME_PX = 44;
const DELIVERY_PX = 18;
const QUOTE_PX = 22;

function wrappedLines(text: string, columns: number): number {
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / columns)), 0);
}

export function estimateRowHeight(row: Row, width: number): number {
  if (row.kind === 'day') return DAY_PX;
  const { item } = row;
  const columns = Math.max(10, Math.floor((width - TEXT_INSET_PX) / CHAR_PX));
  let height = ROW_PADDING_PX + (row.head ? HEAD_PX : 0) + (item.text ? wrappedLines(item.text, columns) * LINE_PX : 0);
  if (item.warning !== undefined) height += wrappedLines(item.warning, columns) * LINE_PX;
  if (item.snippet) height += SNIPPET_CHROME_PX + item.snippet.code.split('\n').length * CODE_LINE_PX;
  if (item.own && item.status !== 'sent') height += DELIVERY_PX;
  if (item.replyTo) height += QUOTE_PX;
  return height;
}
