import * as vscode from 'vscode';
import { ChatPanelModel, ChatViewProvider } from './host/chatViewProvider';

/** Until the chat client is wired in, the panel shows its offline state. */
const offlineModel: ChatPanelModel = {
  snapshot: () => ({ connection: { status: 'disconnected' }, me: null, messages: [], online: [], hasOlder: false }),
  onDidUpdate: () => new vscode.Disposable(() => undefined),
  send: () => undefined,
  loadOlder: () => undefined,
};

/**
 * Handed to the extension-host tests so they can reach this extension's SecretStorage. Only in
 * extension test mode: any other extension can read an extension's exports.
 */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const view = new ChatViewProvider(context.extensionUri, offlineModel);
  context.subscriptions.push(
    view,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.commands.registerCommand('secureChat.openChat', () =>
      vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`),
    ),
  );
  return context.extensionMode === vscode.ExtensionMode.Test ? { secrets: context.secrets } : undefined;
}

export function deactivate(): void {
  // Nothing to release yet; later wiring stops the embedded server here.
}
