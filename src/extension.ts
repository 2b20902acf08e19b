// Wiring only: creates the parts (settings, passwords, chat, embedded server, panel, status bar,
// notifications, commands) and connects their events. Each part lives in its own module in host/.
import * as vscode from 'vscode';
import {
  ChatController, ChatPanelModel, ChatStatusBar, ChatViewProvider, JoinedRooms, MessageLinks, Notifier, OutboxStore, PasswordStore, RoomPins, ServerController, ServerMemory,
  SettingsWatcher, StatusBarText, MemberVerifier, VerificationStore, channelLogger, loadIdentity, registerCommands, ServerSecrets,
} from './host';

/**
 * Handed to the extension-host tests, only in extension test mode: any other extension can read an
 * extension's exports, and this reaches SecretStorage and the chat.
 */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  /** What the chat panel talks to: sending as a person types, and the updates the panel shows. */
  readonly chat: ChatPanelModel;
  /** The status bar item's text and state, and when they change. */
  readonly status: { current(): StatusBarText; readonly onDidChange: vscode.Event<StatusBarText> };
  /** The embedded server's process id while it runs. */
  serverPid(): number | undefined;
  /** The embedded server's data directory (room.json, members.json, the store). */
  readonly serverDataDir: string;
  /** "Change Room Password" with the new password given instead of typed. */
  changeRoomPassword(password: string): Promise<void>;
  /** "Create Room..." with the name and password given instead of typed; the chat joins the room. */
  createRoom(name: string, password: string): Promise<void>;
  /** What "Verify Member..." shows and does, without its quick pick and modal dialog. */
  readonly verifier: MemberVerifier;
}

let server: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const channel = vscode.window.createOutputChannel('Secure Chat', { log: true });
  const log = channelLogger(channel);
  const settings = new SettingsWatcher();
  const passwords = new PasswordStore(context.secrets);
  const joined = new JoinedRooms(context.workspaceState);
  const chat = new ChatController(passwords, settings, log, new RoomPins(context.globalState), new OutboxStore(context.workspaceState), () => loadIdentity(context.secrets),
    new VerificationStore(context.workspaceState), joined);
  const verifier = new MemberVerifier(chat);
  const links = new MessageLinks(context.extension.id, chat);
  const view = new ChatViewProvider(context.extensionUri, chat, log, (id) => links.linkTo(id));
  const serverDataDir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'server').fsPath;
  const embedded = new ServerController({
    script: context.asAbsolutePath('dist/server.js'),
    dataDir: serverDataDir,
    passwords, settings, chat, log, memory: new ServerMemory(context.workspaceState), serverSecrets: new ServerSecrets(context.secrets),
  });
  server = embedded;
  const statusBar = new ChatStatusBar(() => ({ connection: chat.state, address: chat.address, online: chat.online, server: embedded.running }));
  const notifier = new Notifier(settings, (address) => chat.switchRoom(address));

  context.subscriptions.push(
    channel, settings, chat, view, statusBar,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.window.registerUriHandler({ handleUri: (uri) => links.open(uri, view) }),
    chat.onDidChange(() => statusBar.update()),
    embedded.onDidChange(() => statusBar.update()),
    chat.onDidReplaceSession(() => view.refresh()),
    chat.onDidChangeTrust(() => view.refresh()),
    chat.onDidReceiveMessage((message) => notifier.notify(message)),
    settings.onDidChange(({ settings: current, previous }) => {
      if (current.username !== previous.username) chat.setUsername(current.username);
    }),
    ...registerCommands({ chat, server: embedded, passwords, settings, joined, log, verifier, view }),
  );
  // A server started again connects the chat to its room; then the chat rejoins the rooms it was in (once its server runs, for a room on it).
  void embedded.restoreAfterRestart().then(() => joined.rejoin(
    (address) => passwords.get(address),
    (address, { background, connect }) => (connect ? chat.connect(address, { background }) : chat.addOffline(address, background)),
  )).then(
    (rejoined) => log.log('info', 'rooms-rejoined', { joined: joined.rooms.length, connected: rejoined.length }),
    (error: unknown) => log.log('error', 'rooms-rejoin-failed', { why: error instanceof Error ? error.message : String(error) }),
  );

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    secrets: context.secrets,
    chat,
    status: { current: () => statusBar.current, onDidChange: statusBar.onDidChange },
    serverPid: () => embedded.running?.pid,
    serverDataDir,
    changeRoomPassword: (password) => embedded.changeRoomPassword(password),
    createRoom: async (name, password) => {
      const address = await embedded.createRoom({ name, password });
      if (address !== undefined) await chat.connect(address);
    },
    verifier,
  };
}

/** Stops the embedded server; VS Code waits for the returned promise (EmbeddedServer.stop bounds it). */
export function deactivate(): Promise<void> | undefined {
  const stopping = server?.dispose();
  server = undefined;
  return stopping;
}
