import * as vscode from 'vscode';
import { ChatPanelModel, ChatViewProvider } from './host/chatViewProvider';

/** Until the chat client is wired in, the panel shows its offline state. */
const offlineModel: ChatPanelModel = {
  snapshot: () => ({ connection: { status: 'disconnected' }, me: null, messages: [], online: [], hasOlder: false }),
  onDidUpdate: () => new vscode.Disposable(() => undefined),
  send: () => undefined,
  loadOlder: () => undefined,
};

export function activate(context: vscode.ExtensionContext): void {
  const view = new ChatViewProvider(context.extensionUri, offlineModel);
  context.subscriptions.push(
    view,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.commands.registerCommand('secureChat.openChat', () =>
      vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`),
    ),
  );
}

export function deactivate(): void {
  // Nothing to release yet; later wiring stops the embedded server here.
}
