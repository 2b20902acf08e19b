// VS Code notifications for new messages of any joined room, as secureChat.notifications asks (see
// notifyRule.ts): each names its room, and "Open Chat" shows that room.
import * as vscode from 'vscode';
import type { RoomNews } from './chatController';
import { commandId } from './rules/commandNames';
import { roomLabel } from './rules/joinedRooms';
import { notificationText, shouldNotify } from './rules/notifyRule';
import { translate } from './l10n';
import type { SettingsWatcher } from './settingsWatcher';

/** Catching up after a reconnect delivers many messages at once; one notification stands for them, per room. */
const QUIET_MS = 3_000;

export class Notifier {
  /** When each room last notified, for the rooms that did within QUIET_MS: a room catching up does not silence another's news. */
  private readonly lastShown = new Map<string, number>();

  constructor(
    private readonly settings: SettingsWatcher,
    /** Shows the joined room at this address in the panel. */
    private readonly showRoom: (address: string) => void,
  ) {}

  notify({ message, address, me, shown }: RoomNews): void {
    const level = this.settings.current.notifications;
    if (!shouldNotify(level, { text: message.body.text, own: message.own }, me, shown)) return;
    const now = Date.now();
    for (const [room, shownAt] of this.lastShown) if (now - shownAt >= QUIET_MS) this.lastShown.delete(room);
    if (this.lastShown.has(address)) return;
    this.lastShown.set(address, now);
    const open = vscode.l10n.t('Open Chat');
    const text = notificationText(message.username, roomLabel(address), message.body.text || vscode.l10n.t('(code snippet)'), undefined, translate);
    void vscode.window.showInformationMessage(text, open).then((choice) => {
      if (choice !== open) return;
      this.showRoom(address);
      void vscode.commands.executeCommand(commandId('openChat'));
    });
  }
}
