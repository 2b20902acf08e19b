import * as vscode from 'vscode';
import { ChatViewProvider } from './host/chatViewProvider';

export function activate(context: vscode.ExtensionContext): void {
  const view = new ChatViewProvider(context.extensionUri);
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view),
    vscode.commands.registerCommand('secureChat.openChat', () =>
      vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`),
    ),
  );
}

export function deactivate(): void {
  // Nothing to release yet; later wiring stops the embedded server here.
}
