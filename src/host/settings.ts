// Reads and validates the secureChat.* settings. A bad value is reported once with what is wrong and
// the default is used instead, so a typo in settings.json never breaks the extension.
import * as vscode from 'vscode';
import { addressProblem } from '../client';
import { UsernameError, normalizeUsername } from '../crypto';
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from '../protocol/limits';
import { accountUsername } from './rules/accountUsername';

export type NotificationLevel = 'all' | 'mentions' | 'off';

export interface Settings {
  readonly serverHost: string;
  readonly serverPort: number;
  /** Start the embedded server when VS Code opens if it was running when VS Code closed. */
  readonly restartOnOpen: boolean;
  readonly connectAddress: string;
  readonly username: string;
  readonly historyPageSize: number;
  readonly notifications: NotificationLevel;
}

export const DEFAULTS = {
  serverHost: '127.0.0.1',
  serverPort: 7777,
  restartOnOpen: true,
  connectAddress: 'ws://127.0.0.1:7777',
  historyPageSize: HISTORY_PAGE_DEFAULT,
  notifications: 'mentions' as NotificationLevel,
};


export function readSettings(report: (problem: string) => void): Settings {
  const config = vscode.workspace.getConfiguration('secureChat');
  const pick = <T>(key: string, fallback: T, problem: (value: T) => string | null): T => {
    const value = config.get<T>(key, fallback);
    const why = typeof value === typeof fallback ? problem(value) : vscode.l10n.t('must be a {0}', typeof fallback);
    if (why === null) return value;
    report(vscode.l10n.t('Setting secureChat.{0}: {1}; using {2}.', key, why, JSON.stringify(fallback)));
    return fallback;
  };
  const inRange = (min: number, max: number) => (value: number) =>
    Number.isInteger(value) && value >= min && value <= max ? null : vscode.l10n.t('must be a whole number from {0} to {1}', min, max);
  const configuredName = config.get<string>('username', '');
  return {
    serverHost: pick('server.host', DEFAULTS.serverHost, (value) => (value.trim() ? null : vscode.l10n.t('must not be empty'))),
    serverPort: pick('server.port', DEFAULTS.serverPort, inRange(1, 65535)),
    restartOnOpen: pick('server.restartOnOpen', DEFAULTS.restartOnOpen, () => null),
    connectAddress: pick('connect.address', DEFAULTS.connectAddress, addressProblem),
    username: configuredName ? pick('username', accountUsername(), usernameSettingProblem) : accountUsername(),
    historyPageSize: pick('history.pageSize', DEFAULTS.historyPageSize, inRange(1, HISTORY_PAGE_MAX)),
    notifications: pick('notifications', DEFAULTS.notifications, (value) =>
      value === 'all' || value === 'mentions' || value === 'off' ? null : vscode.l10n.t('must be "all", "mentions" or "off"')),
  };
}

/** Null for a valid username, otherwise the reason in the words users see everywhere. */
export function usernameSettingProblem(name: string): string | null {
  try {
    normalizeUsername(name);
    return null;
  } catch (error) {
    if (error instanceof UsernameError) return error.message;
    throw error;
  }
}
