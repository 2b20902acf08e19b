// The current secureChat.* settings, re-read on every change. A bad value is reported once (until
// it is fixed and broken again) with a button to the setting, and the default is used meanwhile.
import * as vscode from 'vscode';
import { Settings, readSettings } from './settings';
import { plainText } from './rules/plainText';

export class SettingsWatcher implements vscode.Disposable {
  private settings: Settings;
  private reported = new Set<string>();
  private readonly changes = new vscode.EventEmitter<{ readonly settings: Settings; readonly previous: Settings }>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChange = this.changes.event;

  constructor() {
    this.settings = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('secureChat')) return;
      const previous = this.settings;
      this.settings = this.read();
      this.changes.fire({ settings: this.settings, previous });
    });
  }

  get current(): Settings {
    return this.settings;
  }

  /** Writes where the value is set now (this workspace or the user settings), so the write takes effect. */
  async update(key: string, value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration('secureChat');
    const inspected = config.inspect(key);
    const target = inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changes.dispose();
  }

  private read(): Settings {
    const problems: string[] = [];
    const settings = readSettings((problem) => problems.push(problem));
    const openSettings = vscode.l10n.t('Open Settings');
    for (const problem of problems.filter((text) => !this.reported.has(text))) {
      // A workspace's settings come with the repository, and a problem may quote the value: plain words only.
      void vscode.window.showWarningMessage(vscode.l10n.t('Secure Chat: {0}', plainText(problem)), openSettings).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'secureChat');
      });
    }
    this.reported = new Set(problems);
    return settings;
  }
}
