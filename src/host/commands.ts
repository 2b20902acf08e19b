// Every Secure Chat command, registered in one place. Each one delegates to the module that owns
// the job; what is left here is the input boxes and the messages around them.
import * as vscode from 'vscode';
import { addressProblem, errorMessage } from '../client';
import type { ChatController } from './chatController';
import { COMMAND_NAMES, CommandName, commandId } from './rules/commandNames';
import { ChatViewProvider } from './chatViewProvider';
import { askText } from './inputs';
import { JoinedRooms, roomLabel } from './rules/joinedRooms';
import { failureNotice } from './rules/plainText';
import { translate } from './l10n';
import type { ChannelLogger } from './logChannel';
import type { PasswordStore } from './passwords';
import type { ServerController } from './serverController';
import { usernameSettingProblem } from './settings';
import { sayLocally } from './panelText';
import { textProblem } from '../protocol/panel';
import type { SettingsWatcher } from './settingsWatcher';
import { selectionSnippet } from './rules/snippet';
import { suggestName } from './rules/nameSuggestion';
import type { MemberVerifier } from './verifyMember';

export interface CommandDeps {
  readonly chat: ChatController;
  readonly server: ServerController;
  readonly passwords: PasswordStore;
  readonly settings: SettingsWatcher;
  readonly joined: JoinedRooms;
  readonly log: ChannelLogger;
  readonly verifier: MemberVerifier;
  readonly view: ChatViewProvider;
}

function openChat(): Thenable<unknown> {
  return vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
}

/**
 * The address a password was set for before joining it: Join suggests it next. In memory only, as
 * the step between two commands; the rooms joined are what JoinedRooms remembers.
 */
let chosenAddress: string | undefined;

/** An address typed as the first step of a question whose second step is the room's password. */
async function askAddress(deps: CommandDeps, title: string, prompt: string): Promise<string | undefined> {
  const address = await askText({
    title, step: { step: 1, of: 2 }, prompt, placeholder: vscode.l10n.t('ws://host:port'),
    value: deps.chat.address ?? chosenAddress ?? deps.joined.active ?? deps.settings.current.connectAddress,
    validate: addressProblem,
  });
  return address?.trim();
}

/** "Join a room": the address, then (when none is stored for it) the room's password. */
async function connect(deps: CommandDeps): Promise<void> {
  if (!(await ensureDisplayName(deps))) return;
  const title = vscode.l10n.t('Secure Chat: Join a Room');
  const address = await askAddress(deps, title, vscode.l10n.t('Address of the room\'s server: whoever runs it gets it with “Secure Chat: Copy Invite”.'));
  if (address === undefined) return;
  if (!(await deps.chat.connect(address, { question: { title, step: { step: 2, of: 2 } } }))) return;
  await openChat();
}

/** The room shown (or shown last), at once; with none, Join asks which. */
async function reconnect(deps: CommandDeps): Promise<void> {
  const address = deps.chat.address ?? deps.joined.active;
  if (address === undefined) return connect(deps);
  await deps.chat.connect(address);
}

/** "Create Room...": a named room on this window's running server, then the chat joins it. */
async function createRoom(deps: CommandDeps): Promise<void> {
  const address = await deps.server.createRoom();
  if (address === undefined) return;
  if (!(await deps.chat.connect(address))) return;
  await openChat();
}

/** "Switch Room...": the joined rooms with their unread counts; the one chosen is shown. */
async function switchRoom({ chat }: CommandDeps): Promise<void> {
  const rooms = chat.rooms();
  if (rooms.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: you are in no room yet: use “Join a Room” or “Start Server” first.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(rooms.map((room) => ({
    label: room.name,
    description: [room.unread === 0 ? '' : vscode.l10n.t('{0} unread', room.unread), room.active ? vscode.l10n.t('shown') : ''].filter((part) => part !== '').join(' · '),
    detail: room.address,
    address: room.address,
  })), { title: vscode.l10n.t('Secure Chat: Switch Room'), placeHolder: vscode.l10n.t('The room to show in the chat') });
  if (!picked) return;
  chat.switchRoom(picked.address);
  await openChat();
}

/** "Leave Room": after a confirmation, the room shown is disconnected and forgotten. */
async function leaveRoom({ chat }: CommandDeps): Promise<void> {
  const address = chat.address;
  if (address === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: you are in no room yet: use “Join a Room” or “Start Server” first.'));
    return;
  }
  const leave = vscode.l10n.t('Leave Room');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Leave the room {0}?', roomLabel(address)), {
    modal: true,
    detail: vscode.l10n.t('The chat disconnects from {0} and forgets it, so VS Code does not join it again when it starts. The room password stays stored: “Secure Chat: Join a Room...” gets back in.', address),
  }, leave);
  if (choice === leave) chat.leave(address);
}

/** The room a password command is about: the current connection's, else the one Connect would use. */
function currentAddress({ chat, settings }: CommandDeps): string {
  return chat.address ?? settings.current.connectAddress;
}

/**
 * For the room the chat is in; before joining one, for the address the user names first, never a
 * default they did not see.
 */
async function setPassword(deps: CommandDeps): Promise<void> {
  const title = vscode.l10n.t('Secure Chat: Set Room Password');
  const current = deps.chat.address;
  const address = current ?? (await askAddress(deps, title, vscode.l10n.t('Address of the room whose password to store: the one you will join.')));
  if (address === undefined) return;
  if (!(await deps.passwords.prompt(address, current ? { title } : { title, step: { step: 2, of: 2 } }))) return;
  if (current) deps.chat.passwordChanged(address);
  else chosenAddress = address;
}

async function forgetPassword(deps: CommandDeps): Promise<void> {
  const address = currentAddress(deps);
  if (!(await deps.passwords.get(address))) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: no room password is stored for {0}.', address));
    return;
  }
  await deps.passwords.forget(address);
  void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: forgot the room password for {0}. You will be asked for it when it is needed again.', address));
}

/** The name the box starts with: after the room refused the current one as taken, a free-looking variant of it. */
function usernameValue({ chat, settings }: CommandDeps): string {
  const state = chat.state;
  const taken = state?.status === 'error' && state.kind === 'name-taken';
  return (taken ? suggestName(settings.current.username) : undefined) ?? settings.current.username;
}

/** Asks for the name others see, starting from `value`; saves it and resolves true unless cancelled. */
async function askUsername({ settings }: CommandDeps, title: string, value: string): Promise<boolean> {
  const name = await askText({
    title,
    prompt: vscode.l10n.t('The name others see next to your messages: up to 16 bytes (most letters take 1, accented letters 2).'),
    placeholder: vscode.l10n.t('e.g. alice'),
    value,
    validate: (answer) => usernameSettingProblem(answer.trim()),
  });
  if (name === undefined) return false;
  // The settings watcher passes the new name on to the chat.
  await settings.update('username', name.trim());
  return true;
}

async function setUsername(deps: CommandDeps): Promise<void> {
  await askUsername(deps, vscode.l10n.t('Secure Chat: Username'), usernameValue(deps));
}

/**
 * The first Start or Join asks for the name others will see: a display name is the user's choice,
 * the account name (which is "root" in many dev containers) only its suggestion. True to go on.
 */
async function ensureDisplayName(deps: CommandDeps): Promise<boolean> {
  const inspected = vscode.workspace.getConfiguration('secureChat').inspect<string>('username');
  const chosen = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some((value) => value !== undefined);
  return chosen || askUsername(deps, vscode.l10n.t('Secure Chat: Your Display Name'), deps.settings.current.username);
}

/** The selection goes into the composer as an attachment: the user may add a comment, and Enter sends both. */
async function sendSelection({ view }: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: select the code to send first.'));
    return;
  }
  const { document, selection } = editor;
  const snippet = selectionSnippet({
    code: document.getText(selection),
    before: document.lineAt(selection.start.line).text.slice(0, selection.start.character),
    languageId: document.languageId,
    relativePath: vscode.workspace.asRelativePath(document.uri, false),
    start: selection.start,
    end: selection.end,
  });
  // Said here, where the selection still is: one too large for a message would only be refused in the composer.
  const problem = textProblem('', sayLocally, snippet);
  if (problem !== null) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Secure Chat: the selection is too large to send. {0}', problem));
    return;
  }
  await view.attachSnippet(snippet);
}

/** Registers the commands; a command that fails says why instead of failing silently. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const commands: Record<CommandName, (...args: unknown[]) => unknown> = {
    startServer: async () => (await ensureDisplayName(deps)) && deps.server.start(),
    stopServer: () => deps.server.stop(),
    connect: () => connect(deps),
    disconnect: () => deps.chat.disconnect(),
    reconnect: () => reconnect(deps),
    setPassword: () => setPassword(deps),
    forgetPassword: () => forgetPassword(deps),
    setUsername: () => setUsername(deps),
    openChat,
    sendSelection: () => sendSelection(deps),
    copyInvite: () => deps.server.copyInvite(),
    showLog: () => deps.log.show(),
    rotateRoomKey: () => deps.server.rotateRoomKey(),
    changeRoomPassword: () => deps.server.changeRoomPassword(),
    // From the panel's "Verify", with the member's key id; from the palette, without.
    verifyMember: (id) => deps.verifier.run(typeof id === 'string' ? id : undefined),
    createRoom: () => createRoom(deps),
    searchMessages: () => deps.view.openSearch(),
    switchRoom: () => switchRoom(deps),
    leaveRoom: () => leaveRoom(deps),
  };
  return COMMAND_NAMES.map((name) =>
    vscode.commands.registerCommand(commandId(name), async (...args: unknown[]) => {
      try {
        await commands[name](...args);
      } catch (error) {
        const message = errorMessage(error);
        deps.log.log('error', 'command-failed', { command: commandId(name), why: message });
        void vscode.window.showErrorMessage(failureNotice(error, translate));
      }
    }),
  );
}
