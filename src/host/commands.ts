// Every Secure Chat command, registered in one place. Each one delegates to the module that owns
// the job; what is left here is the input boxes and the messages around them.
import * as vscode from 'vscode';
import { addressProblem, errorMessage } from '../client';
import type { ChatController } from './chatController';
import { COMMAND_NAMES, CommandName, commandId } from './rules/commandNames';
import { ChatViewProvider } from './chatViewProvider';
import type { LastRoom } from './rules/lastRoom';
import { failureNotice } from './rules/plainText';
import type { ChannelLogger } from './logChannel';
import type { PasswordStore } from './passwords';
import type { ServerController } from './serverController';
import { usernameSettingProblem } from './settings';
import type { SettingsWatcher } from './settingsWatcher';
import { snippetBody } from './rules/snippet';

export interface CommandDeps {
  readonly chat: ChatController;
  readonly server: ServerController;
  readonly passwords: PasswordStore;
  readonly settings: SettingsWatcher;
  readonly lastRoom: LastRoom;
  readonly log: ChannelLogger;
}

function openChat(): Thenable<unknown> {
  return vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
}

async function connect({ chat, settings, lastRoom }: CommandDeps): Promise<void> {
  const address = await vscode.window.showInputBox({
    title: 'Secure Chat: Connect',
    prompt: 'Address of the chat server (whoever runs it gets it with “Secure Chat: Copy Invite”).',
    placeHolder: 'ws://host:port',
    value: chat.address ?? lastRoom.address ?? settings.current.connectAddress,
    ignoreFocusOut: true,
    validateInput: (value) => addressProblem(value) ?? undefined,
  });
  if (address === undefined) return;
  if (!(await chat.connect(address.trim()))) return;
  await lastRoom.remember(address.trim());
  await openChat();
}

function disconnect({ chat, lastRoom }: CommandDeps): Thenable<void> {
  chat.disconnect();
  return lastRoom.forget();
}

/** The room a password command is about: the current connection's, else the one Connect would use. */
function currentAddress({ chat, settings }: CommandDeps): string {
  return chat.address ?? settings.current.connectAddress;
}

async function setPassword(deps: CommandDeps): Promise<void> {
  const address = currentAddress(deps);
  if (await deps.passwords.prompt(address)) deps.chat.passwordChanged(address);
}

async function forgetPassword(deps: CommandDeps): Promise<void> {
  const address = currentAddress(deps);
  if (!(await deps.passwords.get(address))) {
    void vscode.window.showInformationMessage(`Secure Chat: no room password is stored for ${address}.`);
    return;
  }
  await deps.passwords.forget(address);
  void vscode.window.showInformationMessage(`Secure Chat: forgot the room password for ${address}. You will be asked for it when it is needed again.`);
}

async function setUsername({ settings }: CommandDeps): Promise<void> {
  const name = await vscode.window.showInputBox({
    title: 'Secure Chat: Username',
    prompt: 'The name others see next to your messages: 1 to 16 bytes of UTF-8.',
    value: settings.current.username,
    ignoreFocusOut: true,
    validateInput: (value) => usernameSettingProblem(value.trim()) ?? undefined,
  });
  if (name === undefined) return;
  // The settings watcher passes the new name on to the chat.
  await settings.update('username', name.trim());
}

async function sendSelection({ chat }: CommandDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Secure Chat: select the code to send first.');
    return;
  }
  const { document, selection } = editor;
  chat.sendBody(snippetBody({
    code: document.getText(selection),
    before: document.lineAt(selection.start.line).text.slice(0, selection.start.character),
    languageId: document.languageId,
    relativePath: vscode.workspace.asRelativePath(document.uri, false),
    start: selection.start,
    end: selection.end,
  }));
  await openChat();
}

/** Registers the commands; a command that fails says why instead of failing silently. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const commands: Record<CommandName, () => unknown> = {
    startServer: () => deps.server.start(),
    stopServer: () => deps.server.stop(),
    connect: () => connect(deps),
    disconnect: () => disconnect(deps),
    setPassword: () => setPassword(deps),
    forgetPassword: () => forgetPassword(deps),
    setUsername: () => setUsername(deps),
    openChat,
    sendSelection: () => sendSelection(deps),
    copyInvite: () => deps.server.copyInvite(),
    showLog: () => deps.log.show(),
  };
  return COMMAND_NAMES.map((name) =>
    vscode.commands.registerCommand(commandId(name), async () => {
      try {
        await commands[name]();
      } catch (error) {
        const message = errorMessage(error);
        deps.log.log('error', 'command-failed', { command: commandId(name), why: message });
        void vscode.window.showErrorMessage(failureNotice(error));
      }
    }),
  );
}
