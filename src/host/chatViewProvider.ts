// Hosts the sidebar chat webview. The page is untrusted: every message from it is validated with
// parseViewToHost and malformed ones are dropped with a log line saying why; it only ever receives
// decrypted chat items.
// The provider knows nothing of sockets or keys: it talks to a ChatPanelModel, which the extension
// implements on top of the chat client.
import { localPanelText, sayLocally } from './panelText';
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { errorMessage } from '../client';
import type { Logger } from '../client';
import { MAX_DETAIL_LENGTH } from '../protocol/limits';
import { HostToView, PanelRoom, PanelSnapshot, PanelSnippet, PanelUpdate, parseViewToHost, textProblem, PanelCommand, ViewToHost } from '../protocol/panel';
import { commandId } from './rules/commandNames';
import { PanelFeed } from './rules/panelFeed';
import { failureNotice, plainText } from './rules/plainText';
import { viewHtml } from './rules/viewHtml';

/**
 * What the chat panel needs from the chat client. Contract:
 * - `snapshot()` is cheap and current: connection, username, the most recent page of messages
 *   (oldest first, a few hundred at most; older pages come through `loadOlder`), who is online.
 * - `onDidUpdate` fires for every change after that (a `vscode.EventEmitter<PanelUpdate>().event`
 *   fits): new messages with position 'append' (own messages too, first as 'pending' with their
 *   final id), 'delivery' when an own message is stored or fails, 'connection', 'presence',
 *   'config' when the username changes, 'error' for a refusal the user should read.
 * - `send(text, replyTo, snippet)` gets text already checked against MAX_TEXT_BYTES, with the
 *   snippet it comments on (and the id of the message it answers, if any); it queues while offline
 *   and throws, with a message for the user, when it queues nothing.
 * - `react(to, emoji, on)` sends a reaction (shown as an item with `react`), like `send`.
 * - `edit(to, text)` and `remove(to)` send a new version or a tombstone of the user's own message
 *   `to` (items with `edit`, `delete`), like `send`.
 * - `loadOlder(beforeSeq)` answers with a 'messages' update, position 'prepend'.
 * - `plainText(id)` is a shown message's current text (its author's edits folded in), its snippet's code after it; undefined for none or a deleted one.
 * - `typing()` tells the room the user is typing (paced by the client; nothing while offline).
 * - `rooms()` lists the joined rooms with their unread counts (the room row), `onDidChangeRooms`
 *   fires when that list, a count or a room's connection changes, `unreadTotal` is the badge's
 *   sum; `switchRoom(address)` shows another joined room (the provider then gets a fresh snapshot
 *   through `refresh`); `setVisible` and `markRead` say when the shown room's news is seen. The
 *   snapshot's `unreadFrom` is where the shown room's unread messages start.
 * Panel commands (the empty state's buttons) run the VS Code commands `secureChat.<name>` for
 * each name in PANEL_COMMANDS, so the extension registers `secureChat.connect`,
 * `secureChat.setPassword`, `secureChat.setUsername` and `secureChat.startServer`.
 */
export interface ChatPanelModel {
  snapshot(): PanelSnapshot;
  onDidUpdate(listener: (update: PanelUpdate) => void): vscode.Disposable;
  send(text: string, replyTo?: string, snippet?: PanelSnippet): void;
  react(to: string, emoji: string, on: boolean): void;
  edit(to: string, text: string): void;
  remove(to: string): void;
  loadOlder(beforeSeq: number): void;
  typing(): void;
  plainText(id: string): string | undefined;
  /** Searches the whole history; answers with 'searchResults' updates named `id` (see ChatSession.search). */
  search(id: number, query: string): void;
  cancelSearch(): void;
  rooms(): readonly PanelRoom[];
  readonly onDidChangeRooms: vscode.Event<void>;
  readonly unreadTotal: number;
  switchRoom(address: string): boolean;
  setVisible(visible: boolean): void;
  markRead(): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'secureChat.chat';

  private view: vscode.WebviewView | undefined;
  /** The page has said `ready`, so posts reach a listener. */
  private ready = false;
  /** What commands asked the page to show (the search box, a snippet, a message), posted once it is ready. */
  private waiting: HostToView[] = [];
  private readonly subscriptions: vscode.Disposable[];
  /** Bounds what a flood of messages costs the page (see panelFeed.ts). */
  private readonly feed = new PanelFeed(
    { post: (update) => this.post(update), resync: () => this.postSnapshot() },
    (run, ms) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
  );

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: ChatPanelModel,
    private readonly log: Logger,
    /** A link that opens the chat at the message `id` of the current room ("Copy Link"); undefined when there is none. */
    private readonly linkTo: (id: string) => string | undefined,
  ) {
    this.subscriptions = [model.onDidUpdate((update) => this.onUpdate(update)), model.onDidChangeRooms(() => this.onRoomsChanged())];
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.feed.dispose();
  }

  /** Whether the panel is on screen now. */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  /** "Search Messages...": the chat shown, with its search box open. */
  openSearch(): Promise<void> {
    return this.showWith({ type: 'openSearch' });
  }

  /** "Send Selection to Chat": the chat shown, with the snippet in its composer for a comment. */
  attachSnippet(snippet: PanelSnippet): Promise<void> {
    return this.showWith({ type: 'attachSnippet', snippet });
  }

  /** A message link: the chat shown at the message (the panel loads older history until it is there). */
  showMessage(id: string): Promise<void> {
    return this.showWith({ type: 'showMessage', id });
  }

  /** The chat shown, and `message` posted to it: at once when the page is ready, else once it says it is (after its snapshot). */
  private async showWith(message: HostToView): Promise<void> {
    this.waiting.push(message);
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    if (this.ready) this.postWaiting();
  }

  private postWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const message of waiting) this.post(message);
  }

  /** The model changed wholesale (another room): a shown page gets a fresh snapshot, a hidden one gets it when shown. */
  refresh(): void {
    if (this.view?.visible && this.ready) this.postSnapshot();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = viewHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUris: [view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString()],
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
      language: vscode.env.language,
      loadingText: sayLocally('loading'),
    });
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const message = parseViewToHost(raw);
      if (message.ok) void this.onViewMessage(message.value);
      else this.log.log('warn', 'panel-message-dropped', { why: message.error });
    });
    this.model.setVisible(view.visible);
    this.showBadge();
    view.onDidChangeVisibility(() => {
      this.model.setVisible(view.visible);
      // A page kept alive while hidden missed the updates; a reloaded one will say `ready` instead.
      if (view.visible && this.ready) this.postSnapshot();
    });
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
      this.model.setVisible(false);
    });
  }

  private onUpdate(update: PanelUpdate): void {
    // A hidden page gets a fresh snapshot when shown; the model counts what it missed for the badge.
    if (this.view?.visible && this.ready) this.feed.push(update);
  }

  private onRoomsChanged(): void {
    this.showBadge();
    if (this.view?.visible && this.ready) this.postRooms();
  }

  private async onViewMessage(message: ViewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postSnapshot();
        this.postWaiting();
        return;
      case 'send':
        return this.send(message);
      case 'delete':
        return this.attemptOrSay(() => this.model.remove(message.to));
      case 'react':
        return this.attemptOrSay(() => this.model.react(message.to, message.emoji, message.on));
      case 'loadOlder':
        return this.attemptOrSay(() => this.model.loadOlder(message.beforeSeq));
      case 'openReference':
        return this.openReference(message.path, message.line);
      case 'openLink':
        return this.openLink(message.url);
      case 'markRead':
        return this.model.markRead();
      case 'typing':
        return this.model.typing();
      case 'copy':
        return this.copy(message.id);
      case 'copyLink':
        return this.copyLink(message.id);
      case 'command':
        return this.runCommand(message.name);
      case 'verifyMember':
        return this.runCommand('verifyMember', message.id);
      case 'search':
        return this.attemptOrSay(() => this.model.search(message.id, message.query));
      case 'searchClosed':
        return this.model.cancelSearch();
      case 'switchRoom':
        // refresh() follows, through the model's onDidReplaceSession.
        if (!this.model.switchRoom(message.address)) this.log.log('warn', 'panel-message-dropped', { why: 'switchRoom names a room not joined' });
        return;
    }
  }

  /** The message's plain text to the clipboard. */
  private copy(id: string): Promise<void> {
    return this.toClipboard(this.model.plainText(id), vscode.l10n.t('Secure Chat: message copied'));
  }

  /** A link that opens the chat at the message to the clipboard; none for a message the room shown does not hold (the panel asked before a switch). */
  private copyLink(id: string): Promise<void> {
    const held = this.model.plainText(id) !== undefined;
    return this.toClipboard(held ? this.linkTo(id) : undefined, vscode.l10n.t('Secure Chat: link to the message copied'));
  }

  /** Text to the clipboard, with a word in the status bar that it is there; nothing for none. */
  private async toClipboard(text: string | undefined, copied: string): Promise<void> {
    if (text === undefined) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(copied, 3000);
  }

  /** Every snapshot carries the shown room's unread start, as the one posted when the view shows may reach a page that is still loading, which then asks for its own. */
  private postSnapshot(): void {
    this.feed.discard();
    this.post({ type: 'snapshot', ...this.model.snapshot(), text: localPanelText() });
    this.postRooms();
  }

  private postRooms(): void {
    this.post({ type: 'rooms', rooms: this.model.rooms() });
  }

  private post(message: HostToView): void {
    void this.view?.webview.postMessage(message);
  }

  /** Every send is answered: the view keeps the typed text until it hears the message was queued. An edit takes no snippet. */
  private send({ id, text, replyTo, edits, snippet }: Extract<ViewToHost, { type: 'send' }>): void {
    const refusal = edits === undefined
      ? textProblem(text, sayLocally, snippet) ?? this.attempt(() => this.model.send(text, replyTo, snippet))
      : textProblem(text, sayLocally) ?? this.attempt(() => this.model.edit(edits, text));
    this.post({ type: 'sendResult', id, ...(refusal === null ? {} : { refusal }) });
  }

  /** Runs a model call; what it throws the panel shows on its error line. */
  private attemptOrSay(action: () => void): void {
    const problem = this.attempt(action);
    if (problem) this.post({ type: 'error', message: problem });
  }

  /** Runs a model call; what it throws comes back as a message for the panel (the view's limits). */
  private attempt(action: () => void): string | null {
    try {
      action();
      return null;
    } catch (error) {
      const message = errorMessage(error);
      return (message || vscode.l10n.t('Something went wrong.')).slice(0, MAX_DETAIL_LENGTH);
    }
  }

  /** The activity-bar badge: unread messages summed over every joined room. */
  private showBadge(): void {
    if (!this.view) return;
    const unread = this.model.unreadTotal;
    this.view.badge = unread === 0 ? undefined : { value: unread, tooltip: unread === 1 ? vscode.l10n.t('1 new chat message') : vscode.l10n.t('{0} new chat messages', unread) };
  }

  /** Opens `path` (workspace-relative, already checked not to climb out) at `line` in the first workspace folder that has it. */
  private async openReference(path: string, line: number): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ...path.split('/'));
      let isFile = false;
      try {
        isFile = ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
      } catch {
        continue; // Not in this folder.
      }
      if (!isFile) continue;
      const document = await vscode.workspace.openTextDocument(uri);
      const position = new vscode.Position(Math.min(line, document.lineCount) - 1, 0);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
      return;
    }
    // The path is a member's words (checked to a plain character set on the way in): plain words here too.
    void vscode.window.showWarningMessage(vscode.l10n.t('Secure Chat: {0} is not in this workspace, so line {1} cannot be shown.', plainText(path), line));
  }

  /** Links come from other people's messages: say where one leads before opening it. */
  private async openLink(url: string): Promise<void> {
    const open = vscode.l10n.t('Open Link');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Open a link from the chat in your browser?'), { modal: true, detail: url }, open);
    if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private async runCommand(name: PanelCommand | 'verifyMember', ...args: string[]): Promise<void> {
    try {
      // commandId takes only names of the command table, so a panel button cannot name a command that does not exist.
      await vscode.commands.executeCommand(commandId(name), ...args);
    } catch (error) {
      void vscode.window.showErrorMessage(failureNotice(error));
    }
  }
}
