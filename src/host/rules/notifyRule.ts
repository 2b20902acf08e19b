// When a message from someone else deserves a VS Code notification (secureChat.notifications).
// Free of the vscode API so the rule is unit-tested.
import { mentionsMe } from '../../protocol/mentions';
import type { NotificationLevel } from '../settings';
import { plainText } from './plainText';
import { Translate, english } from './words';

export interface IncomingMessage {
  readonly text: string;
  readonly own: boolean;
}

/**
 * Only while the message's room is out of view (the panel hidden, or another room shown; a room in
 * view shows its messages itself): 'all' for every message from
 * others, 'mentions' for those that mention "@me", 'off' for none.
 */
export function shouldNotify(level: NotificationLevel, message: IncomingMessage, me: string, roomShown: boolean): boolean {
  if (message.own || roomShown || level === 'off') return false;
  return level === 'all' || mentionsMe(message.text, me);
}

/**
 * The notification's text: the sender, the room (its name, or host:port for a server's default
 * room) and the start of the message on one line, as plain words (see plainText).
 */
export function notificationText(username: string, room: string, text: string, maxChars = 120, t: Translate = english): string {
  const line = plainText(text);
  return t('{0} in {1}: {2}', plainText(username), plainText(room), line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line);
}
