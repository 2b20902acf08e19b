// What the status bar item says for a given connection and server state. Free of the vscode API
// so the wording is unit-tested; statusBar.ts applies it to the item.
import type { ConnectionState } from '../../client';
import type { CommandId } from './commandNames';
import { reconnectReasonWords } from './reconnectWords';
import { retryDelayText } from './retryDelay';
import { Translate, english } from './words';

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

function errorText(kind: Extract<ConnectionState, { status: 'error' }>['kind'], t: Translate): string {
  switch (kind) {
    case 'auth-failed':
      return t('$(error) Secure Chat: wrong password');
    case 'room-changed':
      return t('$(error) Secure Chat: another room at this address');
    case 'name-taken':
      return t('$(error) Secure Chat: name taken');
    case 'incompatible':
      return t('$(error) Secure Chat: incompatible server');
  }
}

/** Room ids are long hex; the first 12 digits tell rooms apart for a person. */
function shortRoom(roomId: string): string {
  return roomId.length > 12 ? `${roomId.slice(0, 12)}…` : roomId;
}

function connectionPart(input: StatusInput, t: Translate): { kind: StatusKind; text: string; line: string } {
  const state = input.connection ?? { status: 'disconnected' as const };
  const where = input.address ?? t('no server');
  switch (state.status) {
    case 'disconnected':
      return input.server
        ? { kind: 'server', text: t('Secure Chat: server running'), line: t('Not connected') }
        : { kind: 'offline', text: t('$(debug-disconnect) Secure Chat: offline'), line: input.address ? t('Disconnected from {0}', where) : t('Not connected') };
    case 'connecting':
    case 'authenticating':
      return { kind: 'connecting', text: t('$(sync~spin) Secure Chat: connecting…'), line: t('Connecting to {0}', where) };
    case 'reconnecting':
      return {
        kind: 'reconnecting', text: t('$(sync~spin) Secure Chat: reconnecting…'),
        line: t('Reconnecting to {0} in {1} (attempt {2}): {3}', where, retryDelayText(state.inMs), state.attempt, reconnectReasonWords(state.reason, t)),
      };
    case 'connected':
      return {
        kind: 'connected', text: t('$(comment-discussion) Secure Chat: {0} online', input.online.length),
        line: input.online.length > 0 ? t('Connected to {0} with {1}', where, input.online.join(', ')) : t('Connected to {0}', where),
      };
    case 'error':
      return { kind: 'error', text: errorText(state.kind, t), line: t('Not connected to {0}: {1}', where, state.message) };
  }
}

/** `t` is the host's translation (vscode.l10n.t); English by default. */
export function statusBarText(input: StatusInput, t: Translate = english): StatusBarText {
  const part = connectionPart(input, t);
  const lines = ['Secure Chat', part.line];
  if (input.server) lines.push(t('Server running on {0}, room {1}', input.server.address, shortRoom(input.server.roomId)));
  const command = part.kind === 'offline' ? 'secureChat.connect' : 'secureChat.openChat';
  lines.push(command === 'secureChat.connect' ? t('Click to connect') : t('Click to open the chat'));
  return {
    kind: part.kind,
    text: input.server ? `$(server) ${part.text}` : part.text,
    tooltip: lines.join('\n'),
    error: part.kind === 'error',
    command,
  };
}
