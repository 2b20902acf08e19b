// The extension's log: VS Code's LogOutputChannel behind the logger shape every layer shares, so the
// client, the embedded server's forwarded lines and the host all write `event key=value...`.
import type * as vscode from 'vscode';
import type { Logger } from '../client';
import { formatEvent } from '../protocol/log';

export interface ChannelLogger extends Logger {
  /** Brings the Secure Chat output channel into view. */
  show(): void;
}

export function channelLogger(channel: vscode.LogOutputChannel): ChannelLogger {
  return {
    log: (level, event, fields) => channel[level](formatEvent(event, fields)),
    show: () => channel.show(),
  };
}
