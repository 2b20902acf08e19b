// The one Secure Chat status bar item: applies statusBarText() to it with the theme's colours.
import * as vscode from 'vscode';
import { translate } from './l10n';
import { StatusInput, StatusBarText, statusBarText } from './rules/statusBarText';

export class ChatStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('secureChat.status', vscode.StatusBarAlignment.Right, 100);
  private readonly changes = new vscode.EventEmitter<StatusBarText>();
  private view: StatusBarText;
  readonly onDidChange = this.changes.event;

  constructor(private readonly input: () => StatusInput) {
    this.item.name = 'Secure Chat';
    this.view = this.apply();
    this.item.show();
  }

  get current(): StatusBarText {
    return this.view;
  }

  update(): void {
    const previous = this.view;
    this.view = this.apply();
    if (this.view.text !== previous.text || this.view.tooltip !== previous.tooltip) this.changes.fire(this.view);
  }

  dispose(): void {
    this.item.dispose();
    this.changes.dispose();
  }

  private apply(): StatusBarText {
    const view = statusBarText(this.input(), translate);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.color = view.error ? new vscode.ThemeColor('statusBarItem.errorForeground') : undefined;
    return view;
  }
}
