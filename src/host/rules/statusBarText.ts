// What the status bar item says for a given connection and server state. Free of the vscode API
// so the wording is unit-tested; statusBar.ts applies it to the item.
import type { ConnectionState } from '../../client';
import type { CommandId } from './commandNames';
import { reconnectReasonWords } from './reconnectWords';
import { retryDelayText } from './retryDelay';

export type StatusKind = 'offline' | 'server' | 'connecting' | 'reconnecting' | 'connected' | 'error';

export interface StatusInput {
  /** The chat client's state; undefined before any connection was asked for. */
  readonly connection: ConnectionState | undefined;
  readonly address: string | undefined;
  readonly online: readonly string[];
  /** The embedded server, while it runs. */
  readonly server: { readonly address: string; readonly roomId: string } | undefined;
}

export interface StatusBarText {
  readonly kind: StatusKind;
  /** With codicons, e.g. "$(sync~spin) Secure Chat: connecting…": the product's name, never "Chat" alone, which the built-in chat also is. */
  readonly text: string;
  readonly tooltip: string;
  /** Shown with the theme's error colours. */
  readonly error: boolean;
  /** Run on click: open the chat, or offer to connect when there is nothing to open. */
  readonly command: Extract<CommandId, 'secureChat.openChat' | 'secureChat.connect'>;
}

const ERROR_TEXT = {
  'auth-failed': 'wrong password', 'room-changed': 'another room at this address', 'name-taken': 'name taken', incompatible: 'incompatible server',
} as const;

/** Room ids are long hex; the first 12 digits tell rooms apart for a person. */
function shortRoom(roomId: string): string {
  return roomId.length > 12 ? `${roomId.slice(0, 12)}…` : roomId;
}

function connectionPart(input: StatusInput): { kind: StatusKind; text: string; line: string } {
  const state = input.connection ?? { status: 'disconnected' as const };
  const where = input.address ?? 'no server';
  switch (state.status) {
    case 'disconnected':
      return input.server
        ? { kind: 'server', text: 'Secure Chat: server running', line: 'Not connected' }
        : { kind: 'offline', text: '$(debug-disconnect) Secure Chat: offline', line: input.address ? `Disconnected from ${where}` : 'Not connected' };
    case 'connecting':
    case 'authenticating':
      return { kind: 'connecting', text: '$(sync~spin) Secure Chat: connecting…', line: `Connecting to ${where}` };
    case 'reconnecting':
      return {
        kind: 'reconnecting', text: '$(sync~spin) Secure Chat: reconnecting…',
        line: `Reconnecting to ${where} in ${retryDelayText(state.inMs)} (attempt ${state.attempt}): ${reconnectReasonWords(state.reason)}`,
      };
    case 'connected':
      return {
        kind: 'connected', text: `$(comment-discussion) Secure Chat: ${input.online.length} online`,
        line: `Connected to ${where}${input.online.length > 0 ? ` with ${input.online.join(', ')}` : ''}`,
      };
    case 'error':
      return { kind: 'error', text: `$(error) Secure Chat: ${ERROR_TEXT[state.kind]}`, line: `Not connected to ${where}: ${state.message}` };
  }
}

export function statusBarText(input: StatusInput): StatusBarText {
  const part = connectionPart(input);
  const lines = ['Secure Chat', part.line];
  if (input.server) lines.push(`Server running on ${input.server.address}, room ${shortRoom(input.server.roomId)}`);
  const command = part.kind === 'offline' ? 'secureChat.connect' : 'secureChat.openChat';
  lines.push(command === 'secureChat.connect' ? 'Click to connect' : 'Click to open the chat');
  return {
    kind: part.kind,
    text: input.server ? `$(server) ${part.text}` : part.text,
    tooltip: lines.join('\n'),
    error: part.kind === 'error',
    command,
  };
}
