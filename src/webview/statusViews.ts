// The parts of the panel around the list: who is online (with join/leave shown briefly), the
// offline banner, and the empty state whose buttons ask the host to connect or set things up.
import type { OnlineEntry, PanelConnection, PanelCommand } from '../protocol/panel';
import type { PanelTextKey } from '../protocol/panelText';
import { button, element, isolate } from './dom';
import { say } from './words';

/** How long "bob joined" stays in the presence bar. */
const PRESENCE_EVENT_MS = 5000;

export class PresenceBar {
  readonly root: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private readonly event: HTMLElement;
  private eventTimer: ReturnType<typeof setTimeout> | undefined;

  /** `verify` asks the host to show the safety number of the member with that key id. */
  constructor(private readonly doc: Document, private readonly verify: (id: string) => void = () => undefined) {
    this.root = element(doc, 'header', 'presence');
    const details = element(doc, 'details', 'online');
    this.summary = element(doc, 'summary', 'online-summary');
    this.list = element(doc, 'ul', 'online-list');
    details.append(this.summary, this.list);
    this.event = element(doc, 'span', 'presence-event');
    this.root.append(details, this.event);
  }

  /** `online` comes sorted from the host, one entry per member: "(you)" is this installation's key, not a name. */
  show(online: readonly OnlineEntry[], connection: PanelConnection): void {
    const connected = connection.status === 'connected';
    this.list.setAttribute('aria-label', say('online'));
    this.summary.replaceChildren(
      element(this.doc, 'span', `dot ${connected ? 'on' : 'off'}`),
      element(this.doc, 'span', '', connected ? say('onlineCount', online.length) : statusLabel(connection)),
    );
    this.summary.title = connection.address ? `${statusLabel(connection)}: ${connection.address}` : statusLabel(connection);
    this.list.replaceChildren(...online.map((member) => {
      const item = element(this.doc, 'li', member.me ? 'me' : '');
      item.append(isolate(element(this.doc, 'span', 'name', member.name)));
      if (member.tag !== undefined) item.append(' ', element(this.doc, 'span', 'key-tag', member.tag));
      if (member.verified) item.append(' ', trustBadge(this.doc, 'verified'));
      if (member.keyChanged) item.append(' ', trustBadge(this.doc, 'keyChanged'));
      if (member.me) item.append(say('you'));
      const id = member.id;
      if (id !== undefined) {
        const verify = button(this.doc, say('verify'), 'link-button verify', () => this.verify(id));
        verify.title = say('verifyMemberTitle', member.name);
        item.append(' ', verify);
      }
      return item;
    }));
  }

  /** A discreet, temporary note about `name` ("bob joined"); screen readers are told through the page's live region instead. */
  flash(name: string, what: string, other?: string): void {
    clearTimeout(this.eventTimer);
    this.event.replaceChildren(isolate(element(this.doc, 'bdi', '', name)), ` ${what}`);
    if (other !== undefined) this.event.append(' ', isolate(element(this.doc, 'bdi', '', other)));
    this.eventTimer = setTimeout(() => (this.event.textContent = ''), PRESENCE_EVENT_MS);
  }
}

/** The small mark of a verified member (or of a key that took a verified member's name), with its words as the title. */
export function trustBadge(doc: Document, kind: 'verified' | 'keyChanged'): HTMLElement {
  const badge = element(doc, 'span', kind === 'verified' ? 'badge verified' : 'badge key-changed', kind === 'verified' ? '✓' : '!');
  badge.title = say(kind === 'verified' ? 'verifiedBadge' : 'keyChangedBadge');
  badge.setAttribute('aria-label', badge.title);
  badge.setAttribute('role', 'img');
  return badge;
}

export function statusLabel(connection: PanelConnection): string {
  switch (connection.status) {
    case 'connected': return say('statusConnected');
    case 'connecting': return say('statusConnecting');
    case 'reconnecting': return say('statusReconnecting');
    case 'disconnected': return say('statusOffline');
    case 'error': return say('statusError');
  }
}

const COMMAND_LABELS: Record<PanelCommand, PanelTextKey> = {
  connect: 'commandConnect',
  reconnect: 'commandReconnect',
  setPassword: 'commandSetPassword',
  setUsername: 'commandSetUsername',
  startServer: 'commandStartServer',
};

/** While reconnecting, Reconnect means skipping the wait. */
function labelsFor(connection: PanelConnection): Partial<Record<PanelCommand, string>> {
  return connection.status === 'reconnecting' ? { reconnect: say('retryNow') } : {};
}

/** "Retrying in 7 s" until `retryAt`, then "Retrying now…" while the try is under way. */
export function retryCountdownText(retryAt: number, now: number): string {
  const seconds = Math.ceil((retryAt - now) / 1000);
  return seconds >= 1 ? say('retryingIn', seconds) : say('retryingNow');
}

/** The countdown to the next reconnect, which tickCountdowns keeps current; nothing when none is due. */
function countdown(doc: Document, connection: PanelConnection, tag: 'span' | 'p'): HTMLElement[] {
  if (connection.retryAt === undefined) return [];
  const node = element(doc, tag, 'countdown', retryCountdownText(connection.retryAt, Date.now()));
  node.dataset.retryAt = String(connection.retryAt);
  return [node];
}

/** Moves every countdown under `root` on to `now`; in place, so a focused button keeps its focus. */
export function tickCountdowns(root: ParentNode, now: number): void {
  for (const node of Array.from(root.querySelectorAll<HTMLElement>('.countdown'))) {
    const text = retryCountdownText(Number(node.dataset.retryAt), now);
    if (node.textContent !== text) node.textContent = text;
  }
}

/** The buttons for `names`, the first one primary. */
function actionButtons(doc: Document, names: readonly PanelCommand[], run: (name: PanelCommand) => void, labels: Partial<Record<PanelCommand, string>> = {}): HTMLElement {
  const actions = element(doc, 'div', 'empty-actions');
  names.forEach((name, index) => actions.appendChild(button(doc, labels[name] ?? say(COMMAND_LABELS[name]), index === 0 ? 'primary' : 'secondary', () => run(name))));
  return actions;
}

/** Shown above the list while not connected and there is a conversation to keep using. */
export class ConnectionBanner {
  readonly root: HTMLElement;

  constructor(private readonly doc: Document, private readonly run: (name: PanelCommand) => void) {
    this.root = element(doc, 'div', 'banner');
    this.root.setAttribute('role', 'status');
    this.root.hidden = true;
  }

  show(connection: PanelConnection, hasMessages: boolean): void {
    this.root.hidden = connection.status === 'connected' || !hasMessages;
    this.root.classList.toggle('error', connection.status === 'error');
    const title = `${statusLabel(connection)}${connection.detail ? ` ${connection.detail}` : ''}`;
    this.root.replaceChildren(
      element(this.doc, 'strong', '', title),
      ...countdown(this.doc, connection, 'span'),
      // Typed without the room's key, messages cannot be sealed, so nothing keeps them across a restart (docs/SECURITY.md).
      element(this.doc, 'span', '', ` ${say(connection.noRoomKey ? 'noRoomKey' : 'willSend')}`),
      actionButtons(this.doc, connection.actions ?? [], this.run, labelsFor(connection)),
    );
  }
}

/**
 * Before any room (no address yet), the two choices a new team has, and the set-up steps that may
 * come first; after one, what the host offers for the connection's state.
 */
const FIRST_RUN: readonly PanelCommand[] = ['startServer', 'connect'];
const FIRST_RUN_SETUP: readonly PanelCommand[] = ['setUsername', 'setPassword'];

/** Fills the panel when there are no messages: what is going on and what can be done about it. */
export class EmptyState {
  readonly root: HTMLElement;

  constructor(private readonly doc: Document, private readonly run: (name: PanelCommand) => void) {
    this.root = element(doc, 'section', 'empty');
  }

  show(connection: PanelConnection, me: string | null, hasMessages: boolean): void {
    this.root.hidden = hasMessages;
    if (hasMessages) return;
    const connected = connection.status === 'connected';
    const firstRun = !connected && connection.address === undefined;
    const title = connected ? say('noMessages') : firstRun ? say('welcome') : statusLabel(connection);
    const text = connected
      ? say('sayHello')
      : connection.detail ?? say(firstRun ? 'firstRun' : connection.noRoomKey ? 'noRoomKey' : 'sentOnReconnect');
    const parts: HTMLElement[] = [element(this.doc, 'h2', '', title), element(this.doc, 'p', '', text), ...countdown(this.doc, connection, 'p')];
    if (connected) {
      if (!me) parts.push(actionButtons(this.doc, ['setUsername'], this.run));
    } else if (firstRun) {
      parts.push(actionButtons(this.doc, FIRST_RUN, this.run, { startServer: say('startRoom') }));
      const setup = element(this.doc, 'div', 'empty-setup');
      for (const name of FIRST_RUN_SETUP) setup.appendChild(button(this.doc, say(COMMAND_LABELS[name]), 'link-button', () => this.run(name)));
      parts.push(setup);
    } else {
      parts.push(actionButtons(this.doc, connection.actions ?? [], this.run, labelsFor(connection)));
    }
    this.root.replaceChildren(...parts);
  }
}
