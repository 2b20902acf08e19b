// VS Code notifications for new messages, as secureChat.notifications asks (see notifyRule.ts).
import * as vscode from 'vscode';
import type { ChatMessage } from '../client';
import { commandId } from './rules/commandNames';
import { notificationText, shouldNotify } from './rules/notifyRule';
import type { SettingsWatcher } from './settingsWatcher';

/** Catching up after a reconnect delivers many messages at once; one notification stands for them. */
const QUIET_MS = 3_000;

export class Notifier {
  private lastShown = 0;

  constructor(
    private readonly settings: SettingsWatcher,
    private readonly me: () => string,
    private readonly chatVisible: () => boolean,
  ) {}

  notify(message: ChatMessage): void {
    const level = this.settings.current.notifications;
    if (!shouldNotify(level, { text: message.body.text, own: message.own }, this.me(), this.chatVisible())) return;
    const now = Date.now();
    if (now - this.lastShown < QUIET_MS) return;
    this.lastShown = now;
    const open = vscode.l10n.t('Open Chat');
    void vscode.window.showInformationMessage(notificationText(message.username, message.body.text || vscode.l10n.t('(code snippet)')), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand(commandId('openChat'));
    });
  }
}
