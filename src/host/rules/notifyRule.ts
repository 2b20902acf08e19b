// When a message from someone else deserves a VS Code notification (secureChat.notifications).
// Free of the vscode API so the rule is unit-tested.
import { mentionsMe } from '../../protocol/mentions';
import type { NotificationLevel } from '../settings';
import { plainText } from './plainText';

export interface IncomingMessage {
  readonly text: string;
  readonly own: boolean;
}

/**
 * Only while the chat is out of view (it shows messages itself): 'all' for every message from
 * others, 'mentions' for those that mention "@me", 'off' for none.
 */
export function shouldNotify(level: NotificationLevel, message: IncomingMessage, me: string, chatVisible: boolean): boolean {
  if (message.own || chatVisible || level === 'off') return false;
  return level === 'all' || mentionsMe(message.text, me);
}

/** The notification's text: the sender and the start of the message on one line, as plain words (see plainText). */
export function notificationText(username: string, text: string, maxChars = 120): string {
  const line = plainText(text);
  return `${plainText(username)}: ${line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line}`;
}
