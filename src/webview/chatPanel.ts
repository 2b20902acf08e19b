// Ties the panel together: applies what the host sends to the conversation and the views, and
// turns what the user does into messages for the host. Holds no keys and does no networking.
import { ChatItem, PanelConnection, HostToView, isWebLink, isWorkspaceRelativePath, ViewToHost } from '../protocol/panel';
import { Composer } from './composer';
import { Change, Conversation } from './conversation';
import { button, element } from './dom';
import type { ViewState } from './hostApi';
import { estimateRowHeight, renderRow } from './messageView';
import { ConnectionBanner, EmptyState, PresenceBar } from './statusViews';
import { VirtualList } from './virtualList';

export interface PanelHost {
  post(message: ViewToHost): void;
  saveState(state: ViewState): void;
}

/** Longest excerpt of a message read out by screen readers. */
const ANNOUNCE_CHARS = 160;
/** More new messages than this at once are announced as a count. */
const ANNOUNCE_EACH_MAX = 3;

export class ChatPanel {
  private readonly conversation = new Conversation();
  private readonly list: VirtualList;
  private readonly composer: Composer;
  private readonly presence: PresenceBar;
  private readonly banner: ConnectionBanner;
  private readonly empty: EmptyState;
  private readonly historyEdge: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly root: HTMLElement;
  private connection: PanelConnection = { status: 'connecting' };
  private me: string | null = null;
  private online: readonly string[] = [];
  private hasOlder = false;
  private loadingOlder = false;
  /** Id of the latest send; the composer waits for the sendResult that carries it. */
  private lastSendId = 0;

  constructor(private readonly doc: Document, root: HTMLElement, private readonly host: PanelHost, draft: string) {
    this.presence = new PresenceBar(doc);
    this.banner = new ConnectionBanner(doc);
    this.empty = new EmptyState(doc, (name) => host.post({ type: 'command', name }));
    this.scroller = element(doc, 'div', 'scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('aria-label', 'Messages');
    this.historyEdge = element(doc, 'div', 'history-edge');
    const canvas = element(doc, 'div', 'canvas');
    canvas.setAttribute('role', 'list');
    this.scroller.append(this.historyEdge, canvas);
    this.list = new VirtualList(this.scroller, canvas, {
      render: (row) => renderRow(doc, row, { me: this.me, now: Date.now() }),
      estimate: estimateRowHeight,
      nearTop: () => this.loadOlder(),
    });
    this.composer = new Composer(doc, {
      send: (text) => {
        this.lastSendId += 1;
        host.post({ type: 'send', id: this.lastSendId, text });
        this.list.scrollToBottom();
      },
      draftChanged: (text) => host.saveState({ draft: text }),
      setUsername: () => host.post({ type: 'command', name: 'setUsername' }),
    });
    this.composer.setDraft(draft);
    this.announcer = element(doc, 'div', 'visually-hidden');
    this.announcer.setAttribute('aria-live', 'polite');
    root.append(this.presence.root, this.banner.root, this.empty.root, this.scroller, this.composer.root, this.announcer);
    // Nothing is known until the host's first snapshot; showing "offline" meanwhile would flicker.
    root.hidden = true;
    this.root = root;
    canvas.addEventListener('click', (event) => this.onListClick(event));
    this.scroller.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.composer.focus();
    });
    this.refreshChrome();
  }

  handle(message: HostToView): void {
    switch (message.type) {
      case 'snapshot':
        this.root.hidden = false;
        this.connection = message.connection;
        this.me = message.me;
        this.online = message.online;
        this.hasOlder = message.hasOlder;
        this.loadingOlder = false;
        this.conversation.reset(message.messages);
        this.list.reset(this.conversation.rows);
        this.composer.setUser(message.me);
        if (message.draft !== undefined) this.composer.setDraft(message.draft);
        break;
      case 'messages':
        this.hasOlder = message.hasOlder;
        if (message.position === 'prepend') {
          this.loadingOlder = false;
          this.apply(this.conversation.prepend(message.items), false);
        } else {
          const follow = message.items.some((item) => item.own);
          for (const change of this.conversation.append(message.items)) this.apply(change, follow);
          this.announceMessages(message.items.filter((item) => !item.own));
        }
        break;
      case 'delivery': {
        const change = this.conversation.setDelivery(message.id, message.status, message.reason);
        if (change) this.apply(change, false);
        if (message.status === 'failed') this.announce(`Message not sent${message.reason ? `: ${message.reason}` : ''}`);
        break;
      }
      case 'connection':
        this.connection = message;
        break;
      case 'presence':
        this.online = message.online;
        if (message.joined) this.presenceEvent(`${message.joined} joined`);
        if (message.left) this.presenceEvent(`${message.left} left`);
        break;
      case 'error':
        this.composer.showError(message.message);
        break;
      case 'config':
        this.me = message.username;
        this.composer.setUser(message.username);
        this.list.refresh();
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
      case 'prepended': return this.list.prepended(rows);
      case 'appended': return this.list.appended(rows, change.from, follow);
      case 'updated': return this.list.updated(rows, change.rows);
    }
  }

  private refreshChrome(): void {
    const hasMessages = this.conversation.size > 0;
    this.presence.show(this.online, this.connection, this.me);
    this.banner.show(this.connection, hasMessages);
    this.empty.show(this.connection, this.me, hasMessages);
    this.scroller.hidden = !hasMessages;
    this.historyEdge.replaceChildren(
      !hasMessages ? '' : this.loadingOlder
        ? element(this.doc, 'span', '', 'Loading older messages…')
        : this.hasOlder
          ? button(this.doc, 'Load older messages', 'link-button', () => this.loadOlder())
          : element(this.doc, 'span', '', 'Start of the conversation'),
    );
  }

  private loadOlder(): void {
    const beforeSeq = this.conversation.oldestSeq();
    if (!this.hasOlder || this.loadingOlder || beforeSeq === undefined) return;
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
    const reference = target?.closest<HTMLElement>('button.reference');
    const path = reference?.dataset.path;
    const line = Number(reference?.dataset.line);
    if (path && isWorkspaceRelativePath(path) && Number.isSafeInteger(line)) this.host.post({ type: 'openReference', path, line });
  }

  private announceMessages(items: readonly ChatItem[]): void {
    if (items.length === 0) return;
    if (items.length > ANNOUNCE_EACH_MAX) this.announce(`${items.length} new messages`);
    else this.announce(items.map((item) => `${item.username}: ${item.text.slice(0, ANNOUNCE_CHARS)}`).join('. '));
    if (this.list.atBottom && this.doc.visibilityState === 'visible') this.host.post({ type: 'markRead' });
  }

  private presenceEvent(text: string): void {
    this.presence.flash(text);
    this.announce(text);
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }
}
