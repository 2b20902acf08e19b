// Ties the panel together: applies what the host sends to the conversation and the views, and
// turns what the user does into messages for the host. Holds no keys and does no networking.
import { replyQuote } from '../protocol/body';
import { ChatItem, OnlineEntry, PanelCommand, PanelConnection, HostToView, isWebLink, isWorkspaceRelativePath, ViewToHost } from '../protocol/panel';
import { Composer } from './composer';
import { Change, Conversation, MAX_MESSAGES } from './conversation';
import { button, element } from './dom';
import type { ViewState } from './hostApi';
import { estimateRowHeight, mayAmend, renderRow } from './messageView';
import { EditBook, isAmendment } from '../protocol/edits';
import { ConnectionBanner, EmptyState, PresenceBar, tickCountdowns } from './statusViews';
import { ReactionBook, isReaction } from './reactions';
import { SearchView } from './searchView';
import { RoomSwitcher } from './roomSwitcher';
import { TypingLine } from './typing';
import { ExpandedMessages } from './longMessages';
import { TypingPace } from '../protocol/typing';
import { VirtualList } from './virtualList';
import { PanelTextKey } from '../protocol/panelText';
import { say, useWords } from './words';

export interface PanelHost {
  post(message: ViewToHost): void;
  saveState(state: ViewState): void;
}

/** Longest excerpt of a message read out by screen readers. */
const ANNOUNCE_CHARS = 160;
/** More new messages than this at once are announced as a count. */
const ANNOUNCE_EACH_MAX = 3;
/** Pages of older history loaded at most to find a reply's parent. */
const SEEK_PAGES_MAX = 20;
/** How long a message brought into view stays highlighted. */
const HIGHLIGHT_MS = 1500;
/** How often a reconnect countdown is brought up to date: often enough that each second shows. */
const COUNTDOWN_TICK_MS = 250;

export class ChatPanel {
  private readonly conversation = new Conversation();
  /** Reactions, kept apart from the messages and folded into the ones they name. */
  private readonly reactions = new ReactionBook();
  /** Edits and deletes, kept apart from the messages and folded into the ones they name (by their author only). */
  private readonly edits = new EditBook();
  /** Messages whose earlier versions the reader opened. */
  private readonly versionsOpen = new Set<string>();
  private readonly list: VirtualList;
  private readonly composer: Composer;
  private readonly typing: TypingLine;
  /** The search box over the conversation and what the host finds. */
  private readonly search: SearchView;
  /** Long messages the user opened with "Show more". */
  private readonly expanded = new ExpandedMessages();
  /** The host hears of the user's typing at most once per TYPING_INTERVAL_MS. */
  private readonly typingPace = new TypingPace();
  private readonly presence: PresenceBar;
  /** The joined rooms, to switch between them. */
  private readonly rooms: RoomSwitcher;
  private readonly banner: ConnectionBanner;
  private readonly empty: EmptyState;
  private readonly historyEdge: HTMLElement;
  private readonly scroller: HTMLElement;
  /** The list and what floats over it (the jump button). */
  private readonly messagesArea: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly announcer: HTMLElement;
  private readonly root: HTMLElement;
  private readonly loading: HTMLElement;
  private connection: PanelConnection = { status: 'connecting' };
  private me: string | null = null;
  private online: readonly OnlineEntry[] = [];
  private hasOlder = false;
  private loadingOlder = false;
  /** Id of the latest send; the composer waits for the sendResult that carries it. */
  private lastSendId = 0;
  /** Where the "New messages" divider goes: the first message from others the user has not seen yet. */
  private firstUnread: string | null = null;
  /** Messages from others that came in below the view since the user scrolled up. */
  private unseen = 0;
  /** A message being looked for in older history (a reply's parent, a search result), how many more pages may be loaded for it, and what to say if it is not found. */
  private seeking: { readonly id: string; pagesLeft: number; readonly notFound: PanelTextKey } | null = null;
  private highlighted: string | null = null;
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** Runs while a reconnect is due, so its countdown moves between the host's updates. */
  private countdownTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly doc: Document, root: HTMLElement, private readonly host: PanelHost, saved: ViewState) {
    this.presence = new PresenceBar(doc, (id) => host.post({ type: 'verifyMember', id }));
    this.rooms = new RoomSwitcher(doc, (address) => host.post({ type: 'switchRoom', address }));
    const run = (name: PanelCommand): void => host.post({ type: 'command', name });
    this.banner = new ConnectionBanner(doc, run);
    this.empty = new EmptyState(doc, run);
    this.scroller = element(doc, 'div', 'scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('aria-label', say('messages'));
    this.historyEdge = element(doc, 'div', 'history-edge');
    const canvas = element(doc, 'div', 'canvas');
    canvas.setAttribute('role', 'list');
    this.scroller.append(this.historyEdge, canvas);
    this.list = new VirtualList(this.scroller, canvas, {
      render: (row) => renderRow(doc, row, {
        me: this.me, now: Date.now(), firstUnread: this.firstUnread, highlighted: this.highlighted, reactions: (id) => this.reactions.summary(id),
        amended: (item) => this.edits.amended(item), versionsOpen: (id) => this.versionsOpen.has(id), expanded: (id) => this.expanded.has(id),
      }),
      estimate: estimateRowHeight,
      nearTop: () => this.loadOlder(),
      followingChanged: (following) => {
        if (following) this.unseen = 0;
        this.refreshJump();
      },
    });
    this.jump = button(doc, say('jumpToLatest'), 'jump-latest', () => this.list.scrollToBottom());
    this.messagesArea = element(doc, 'div', 'messages');
    this.messagesArea.append(this.scroller, this.jump);
    this.composer = new Composer(doc, {
      send: (text, replyTo, edits, snippet) => {
        this.lastSendId += 1;
        host.post({ type: 'send', id: this.lastSendId, text, ...(replyTo === undefined ? {} : { replyTo }), ...(edits === undefined ? {} : { edits }), ...(snippet === undefined ? {} : { snippet }) });
        // Answering is reading: the divider has done its job.
        this.moveDivider(null);
        this.list.scrollToBottom();
      },
      react: (to, emoji) => this.react(to, emoji),
      remove: (to) => host.post({ type: 'delete', to }),
      editLast: () => this.editLast(),
      draftChanged: (text) => {
        host.saveState(this.composer.saved);
        if (text.trim() !== '' && this.typingPace.pass(Date.now())) host.post({ type: 'typing' });
      },
      attachmentChanged: () => host.saveState(this.composer.saved),
      setUsername: () => host.post({ type: 'command', name: 'setUsername' }),
    });
    this.composer.setDraft(saved.draft);
    if (saved.snippet) this.composer.attach(saved.snippet);
    this.typing = new TypingLine(doc);
    this.search = new SearchView(doc, {
      search: (id, query) => host.post({ type: 'search', id, query }),
      closed: () => host.post({ type: 'searchClosed' }),
      // A result can lie far back: the conversation's own bound (MAX_MESSAGES) stops the paging.
      show: (id) => this.showMessage(id, 'messageNotFound', MAX_MESSAGES),
    });
    this.announcer = element(doc, 'div', 'visually-hidden');
    this.announcer.setAttribute('aria-live', 'polite');
    // Nothing is known until the host's first snapshot; showing "offline" meanwhile would flicker,
    // and showing nothing looks broken, so the panel says it is loading.
    this.loading = element(doc, 'div', 'loading', root.dataset.loading || say('loading'));
    this.loading.setAttribute('role', 'status');
    root.append(this.loading, this.rooms.root, this.presence.root, this.banner.root, this.search.root, this.empty.root, this.messagesArea, this.typing.root, this.composer.root, this.announcer);
    root.classList.add('starting');
    root.setAttribute('aria-busy', 'true');
    this.root = root;
    canvas.addEventListener('click', (event) => this.onListClick(event));
    this.scroller.addEventListener('keydown', (event) => this.onListKey(event));
    root.addEventListener('keydown', (event) => {
      // Ctrl+F (Cmd+F on a Mac) searches the whole history; the command of that key does the same from VS Code.
      if (event.key.toLowerCase() === 'f' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        this.search.open();
      } else if (event.key === 'Escape' && !this.composer.focused) {
        event.preventDefault();
        this.composer.focus();
      }
    });
    // VS Code focuses the webview when the chat is opened (Open Chat, a notification's button, Focus
    // on Chat View): the keyboard then belongs in the composer, unless something in the panel has it.
    doc.defaultView?.addEventListener('focus', () => this.focusComposerIfIdle());
    this.refreshChrome();
  }

  handle(message: HostToView): void {
    switch (message.type) {
      case 'snapshot':
        useWords(message.text);
        this.scroller.setAttribute('aria-label', say('messages'));
        this.composer.applyWords();
        this.search.applyWords();
        if (message.connection.address !== this.connection.address) {
          // Another room: what the composer and a seek named were messages of the one before.
          this.composer.dropTarget();
          this.seeking = null;
        }
        this.connection = message.connection;
        this.me = message.me;
        this.online = message.online;
        this.composer.setMembers(othersOnline(message.online));
        this.hasOlder = message.hasOlder;
        this.loadingOlder = false;
        this.conversation.reset(message.messages.filter(shownAsMessage));
        this.reactions.clear();
        this.reactions.add(message.messages.filter(isReaction));
        this.edits.clear();
        this.edits.add(message.messages.filter(isAmendment));
        this.typing.clear();
        this.startAt(message.unreadFrom);
        this.composer.setUser(message.me);
        if (message.draft !== undefined) this.composer.setDraft(message.draft);
        this.started();
        this.search.restart();
        break;
      case 'messages': {
        this.hasOlder = message.hasOlder;
        const items = message.items.filter(shownAsMessage);
        const amendments = this.edits.add(message.items.filter(isAmendment));
        if (message.position === 'prepend') {
          this.loadingOlder = false;
          this.reactions.add(message.items.filter(isReaction));
          this.conversation.prepend(items);
          this.list.prepended(this.conversation.rows);
          if (this.seeking) this.seek(this.seeking.id);
        } else if (message.position === 'byTime') {
          // History sent again: no news to announce or follow.
          this.reactions.add(message.items.filter(isReaction));
          this.conversation.placeByTime(items);
          this.list.rebuilt(this.conversation.rows);
        } else {
          const follow = items.some((item) => item.own);
          const fresh = items.filter((item) => !item.own && !this.conversation.has(item.id));
          for (const change of this.conversation.append(items)) this.apply(change, follow);
          for (const item of fresh) this.typing.stopped(item.username);
          this.redraw(this.reactions.add(message.items.filter(isReaction)));
          this.redraw(amendments);
          if (!follow && !this.list.atBottom) this.noteUnseen(fresh);
          this.announceMessages(items.filter((item) => !item.own));
        }
        break;
      }
      case 'delivery': {
        if (message.status === 'failed') {
          const target = this.reactions.failed(message.id) ?? this.edits.failed(message.id);
          if (target !== undefined) this.redraw(new Set([target]));
        }
        const change = this.conversation.setDelivery(message.id, message.status, message.reason);
        if (change) this.apply(change, false);
        if (message.status === 'failed') this.announce(message.reason ? say('announceNotSentBecause', message.reason) : say('announceNotSent'));
        break;
      }
      case 'connection':
        this.connection = message;
        if (message.status !== 'connected') this.typing.clear();
        break;
      case 'presence':
        this.online = message.online;
        this.composer.setMembers(othersOnline(message.online));
        if (message.left) this.typing.stopped(message.left);
        if (message.joined) this.presenceEvent(message.joined, say('joined'));
        if (message.left) this.presenceEvent(message.left, say('left'));
        if (message.renamed) this.presenceEvent(message.renamed.from, say('isNow'), message.renamed.to);
        break;
      case 'error':
        this.composer.showError(message.message);
        break;
      case 'config':
        this.me = message.username;
        this.composer.setUser(message.username);
        this.list.refresh();
        break;
      case 'typing':
        this.typing.signal(message.name);
        break;
      case 'openSearch':
        this.search.open();
        break;
      case 'attachSnippet':
        this.composer.attach(message.snippet);
        this.composer.focus();
        break;
      case 'showMessage':
        this.showMessage(message.id, 'messageNotFound', MAX_MESSAGES);
        break;
      case 'searchResults':
        this.search.handle(message);
        break;
      case 'rooms':
        this.rooms.update(message.rooms);
        break;
      case 'sendResult':
        if (message.id !== this.lastSendId) break;
        if (message.refusal === undefined) this.composer.accepted();
        else this.composer.refused(message.refusal);
        break;
    }
    this.refreshChrome();
  }

  private apply(change: Change, follow: boolean): void {
    const rows = this.conversation.rows;
    switch (change.kind) {
      case 'reset': return this.list.reset(rows);
      case 'rebuilt':
        this.list.rebuilt(rows);
        if (follow) this.list.scrollToBottom();
        return;
      case 'appended': return this.list.appended(rows, change.from, follow);
      case 'updated': return this.list.updated(rows, change.rows);
    }
  }

  /**
   * A snapshot's rows: at the first message the user has not seen (the host knows which came while
   * the panel was hidden), with the divider above it, or at the bottom.
   */
  private startAt(unreadFrom: string | undefined): void {
    const first = unreadFrom !== undefined && this.conversation.has(unreadFrom) ? unreadFrom : null;
    this.firstUnread = first;
    this.unseen = first === null ? 0 : this.conversation.countFrom(first, (item) => !item.own);
    this.list.reset(this.conversation.rows, first ?? undefined);
    this.refreshJump();
  }

  /** Messages from others arrived below the view: counted for the jump button, the first gets the divider. */
  private noteUnseen(items: readonly ChatItem[]): void {
    if (items.length === 0) return;
    this.unseen += items.length;
    if (this.firstUnread === null || !this.conversation.has(this.firstUnread)) this.moveDivider(items[0].id);
    this.refreshJump();
  }

  private moveDivider(id: string | null): void {
    if (id === this.firstUnread) return;
    this.firstUnread = id;
    this.list.refresh();
  }

  private refreshJump(): void {
    this.jump.hidden = this.list.atBottom;
    this.jump.textContent = this.unseen > 0 ? (this.unseen === 1 ? say('newBelowOne') : say('newBelow', this.unseen.toLocaleString('en-US'))) : say('jumpToLatest');
  }

  /** The first snapshot is in: the loading line gives way to the panel. */
  private started(): void {
    if (!this.root.classList.contains('starting')) return;
    this.loading.remove();
    this.root.classList.remove('starting');
    this.root.removeAttribute('aria-busy');
    // The view may have been focused while it was loading, when the composer could not take it.
    this.focusComposerIfIdle();
  }

  private focusComposerIfIdle(): void {
    const active = this.doc.activeElement;
    if (this.doc.hasFocus() && (active === null || active === this.doc.body || active === this.root)) this.composer.focus();
  }

  /**
   * Up and Down move between messages; Escape (handled for the whole panel) returns to the composer.
   * With a message focused, R replies to it, E reacts; F2 edits and Delete deletes one's own.
   */
  private onListKey(event: KeyboardEvent): void {
    const focused = event.target instanceof Element ? event.target.closest<HTMLElement>('.row.message[data-id]') : null;
    const key = event.key.toLowerCase();
    if (focused?.dataset.id && (event.key === 'F2' || event.key === 'Delete') && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      if (event.key === 'F2') this.startEditing(focused.dataset.id);
      else this.startDeleting(focused.dataset.id);
      return;
    }
    if (focused?.dataset.id && (key === 'r' || key === 'e') && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      if (key === 'r') this.startReply(focused.dataset.id);
      else this.startReacting(focused.dataset.id);
      return;
    }
    if ((event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    this.list.focusMessage(event.key === 'ArrowUp' ? -1 : 1);
  }

  /** Older history can be paged in: the host has some, or the panel dropped some, and there is room. */
  private get olderAvailable(): boolean {
    return (this.hasOlder || this.conversation.trimmed) && !this.conversation.full;
  }

  private refreshChrome(): void {
    const hasMessages = this.conversation.size > 0;
    this.presence.show(this.online, this.connection);
    this.banner.show(this.connection, hasMessages);
    this.empty.show(this.connection, this.me, hasMessages);
    this.keepCountingDown();
    this.messagesArea.hidden = !hasMessages;
    this.historyEdge.replaceChildren(
      !hasMessages ? '' : this.loadingOlder
        ? element(this.doc, 'span', '', say('loadingOlder'))
        : this.olderAvailable
          ? button(this.doc, say('loadOlder'), 'link-button', () => this.loadOlder())
          : this.hasOlder || this.conversation.trimmed
            ? element(this.doc, 'span', '', say('keepsLatest', MAX_MESSAGES.toLocaleString('en-US')))
            : element(this.doc, 'span', '', say('startOfConversation')),
    );
  }

  private keepCountingDown(): void {
    const due = this.connection.retryAt !== undefined;
    if (due && this.countdownTimer === undefined) this.countdownTimer = setInterval(() => tickCountdowns(this.root, Date.now()), COUNTDOWN_TICK_MS);
    if (!due && this.countdownTimer !== undefined) {
      clearInterval(this.countdownTimer);
      this.countdownTimer = undefined;
    }
  }

  private loadOlder(): void {
    // Past pages that held reactions, edits or deletes only, too.
    const seqs = [this.conversation.oldestSeq(), this.reactions.oldestSeq, this.edits.oldestSeq].filter((seq) => seq !== undefined);
    const beforeSeq = seqs.length > 0 ? Math.min(...seqs) : undefined;
    if (!this.olderAvailable || this.loadingOlder || beforeSeq === undefined) return;
    this.loadingOlder = true;
    this.host.post({ type: 'loadOlder', beforeSeq });
    this.refreshChrome();
  }

  private onListClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const link = target?.closest('a[href]');
    if (link) {
      event.preventDefault();
      const url = link.getAttribute('href') ?? '';
      if (isWebLink(url)) this.host.post({ type: 'openLink', url });
      return;
    }
    const quoted = target?.closest<HTMLElement>('button.reply-quote')?.dataset.replyTo;
    if (quoted) return this.showMessage(quoted, 'parentNotFound');
    const action = target?.closest<HTMLElement>('button[data-action]');
    const id = action?.dataset.id;
    if (id && action.dataset.action === 'reply') return this.startReply(id);
    if (id && action.dataset.action === 'react' && action.dataset.emoji) return this.react(id, action.dataset.emoji);
    if (id && action.dataset.action === 'any-emoji') return this.startReacting(id);
    if (id && action.dataset.action === 'edit') return this.startEditing(id);
    if (id && action.dataset.action === 'delete') return this.startDeleting(id);
    if (id && action.dataset.action === 'versions') return this.toggleVersions(id);
    if (id && action.dataset.action === 'expand') return this.toggleExpanded(id);
    if (id && action.dataset.action === 'copy') return this.host.post({ type: 'copy', id });
    if (id && action.dataset.action === 'copyLink') return this.host.post({ type: 'copyLink', id });
    const reference = target?.closest<HTMLElement>('button.reference');
    const path = reference?.dataset.path;
    const line = Number(reference?.dataset.line);
    if (path && isWorkspaceRelativePath(path) && Number.isSafeInteger(line)) this.host.post({ type: 'openReference', path, line });
  }

  /** "Show more" or "Show less": the message drawn again where it is. */
  private toggleExpanded(id: string): void {
    this.expanded.toggle(id);
    const row = this.conversation.rowIndex(id);
    if (row !== undefined) this.list.updated(this.conversation.rows, [row]);
  }

  private startReply(id: string): void {
    const parent = this.conversation.item(id);
    if (!parent) return;
    this.composer.setReply({ id, username: parent.username, text: replyQuote(parent.text) });
    this.composer.focus();
  }

  private startReacting(id: string): void {
    const target = this.conversation.item(id);
    if (!target) return;
    this.composer.setReacting({ id, username: target.username, text: replyQuote(target.text) });
    this.composer.focus();
  }

  /** Puts the user's emoji on the message, or takes it back when it is there already. */
  private react(to: string, emoji: string): void {
    const mine = this.reactions.summary(to).some((summary) => summary.emoji === emoji && summary.mine);
    this.host.post({ type: 'react', to, emoji, on: !mine });
  }

  /** One of the user's own messages, as it reads now, into the composer to be edited. */
  private startEditing(id: string): void {
    const target = this.conversation.item(id);
    const amended = target && this.edits.amended(target);
    if (!target || !mayAmend(target) || amended?.deleted) return;
    const text = amended?.text ?? target.text;
    this.composer.setEditing({ id, username: target.username, text: replyQuote(text) }, text);
    this.composer.focus();
  }

  /** Up in an empty composer: the user's latest message that can still be edited. */
  private editLast(): void {
    const rows = this.conversation.rows;
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i];
      if (row.kind === 'message' && mayAmend(row.item) && !this.edits.amended(row.item)?.deleted) return this.startEditing(row.item.id);
    }
  }

  private startDeleting(id: string): void {
    const target = this.conversation.item(id);
    if (!target || !mayAmend(target) || this.edits.amended(target)?.deleted) return;
    this.composer.setDeleting({ id, username: target.username, text: replyQuote(this.edits.amended(target)?.text ?? target.text) });
    this.composer.focus();
  }

  private toggleVersions(id: string): void {
    if (!this.versionsOpen.delete(id)) this.versionsOpen.add(id);
    this.redraw(new Set([id]));
  }

  /** Messages whose reactions, edits or delete changed are drawn again where they are on screen. */
  private redraw(targets: ReadonlySet<string>): void {
    const rows = [...targets].flatMap((id) => this.conversation.rowIndex(id) ?? []);
    if (rows.length > 0) this.list.updated(this.conversation.rows, rows);
  }

  /** Brings a message into view (a reply's parent, a search result), loading older history until it is there (at most `pages` pages). */
  private showMessage(id: string, notFound: PanelTextKey, pages = SEEK_PAGES_MAX): void {
    this.seeking = { id, pagesLeft: pages, notFound };
    this.seek(id);
  }

  private seek(id: string): void {
    const seeking = this.seeking;
    if (seeking?.id !== id) return;
    if (this.conversation.has(id)) {
      this.seeking = null;
      this.list.reveal(id, true);
      this.highlight(id);
    } else if (seeking.pagesLeft > 0 && this.olderAvailable) {
      seeking.pagesLeft -= 1;
      if (!this.loadingOlder) this.loadOlder();
    } else {
      this.seeking = null;
      this.composer.showError(say(seeking.notFound));
      this.announce(say(seeking.notFound));
    }
  }

  private highlight(id: string): void {
    clearTimeout(this.highlightTimer);
    this.highlighted = id;
    this.list.refresh();
    this.highlightTimer = setTimeout(() => {
      this.highlighted = null;
      this.list.refresh();
    }, HIGHLIGHT_MS);
  }

  private announceMessages(items: readonly ChatItem[]): void {
    if (items.length === 0) return;
    if (items.length > ANNOUNCE_EACH_MAX) this.announce(say('newMessages', items.length));
    else this.announce(items.map((item) => `${item.username}: ${item.text.slice(0, ANNOUNCE_CHARS)}`).join('. '));
    if (this.list.atBottom && this.doc.visibilityState === 'visible') this.host.post({ type: 'markRead' });
  }

  private presenceEvent(name: string, what: string, other?: string): void {
    this.presence.flash(name, what, other);
    this.announce(other === undefined ? `${name} ${what}` : `${name} ${what} ${other}`);
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }
}

/** Reactions, edits and deletes are folded into the messages they name, not shown as messages. */
function shownAsMessage(item: ChatItem): boolean {
  return !isReaction(item) && !isAmendment(item);
}

/** The names "@" offers: every member online but this installation. */
function othersOnline(online: readonly OnlineEntry[]): string[] {
  return online.filter((entry) => !entry.me).map((entry) => entry.name);
}
