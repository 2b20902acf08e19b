import * as vscode from 'vscode';
import { ChatViewProvider } from './host/chatViewProvider';

/**
 * Handed to the extension-host tests so they can reach this extension's SecretStorage. Only in
 * extension test mode: any other extension can read an extension's exports.
 */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const view = new ChatViewProvider(context.extensionUri);
  context.subscriptions.push(
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
