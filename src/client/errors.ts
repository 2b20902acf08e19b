import type { ErrorCode } from '../protocol/wire';

// The one error type the client throws at its callers, with a code the UI can branch on. Username
// problems keep the crypto layer's UsernameError, whose message already states the rule.

export type ChatClientErrorCode =
  | 'invalid-address'
  | 'invalid-option'
  | 'outbox-full'
  | 'too-large'
  | 'offline'
  | 'disposed';

export class ChatClientError extends Error {
  constructor(
    readonly code: ChatClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ChatClientError';
  }
}

/** The message of anything thrown, for logs and for the user. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Said when the server serves no room at the address's path (close 4009): no retry can change that. */
export const UNKNOWN_ROOM_MESSAGE = 'the server has no room at this address: check the room name after the port';

/**
 * This client's words for a server error code. The server's own message text is never shown or
 * logged: whoever runs the server (or sits in the middle of ws://) chooses it.
 */
const SERVER_ERROR_WORDS: Readonly<Record<ErrorCode, string>> = {
  'bad-frame': 'the server could not read the frame',
  'too-large': 'the message is too large for the server',
  'bad-mac': 'the server could not verify the message',
  stale: 'the message\'s time is too far from the server\'s clock',
  replay: 'the server already holds this message',
  'rate-limited': 'the server asked to slow down',
  'auth-failed': 'the server rejected the room password',
  'not-authenticated': 'the server had not accepted this connection yet',
  'handshake-timeout': 'the server timed out the handshake',
  backoff: 'the server asked the client to back off',
  'server-full': 'the server is full',
  'slow-consumer': 'the server dropped the connection because it was reading too slowly',
  'shutting-down': 'the server is shutting down',
  internal: 'the server had an internal error',
  'storage-full': 'the server has no room to store messages right now',
  'upgrade-required': 'this Secure Chat extension is older than the server: upgrade the extension',
  'password-changed': 'the room password was changed: enter the new password',
  'name-taken': 'another member already uses this name in the room: choose another name',
  'too-many-names': 'this identity has used too many names in the room: go back to one of them',
  'directory-full': 'the room has as many members as it can hold',
  'signature-required': 'the server takes only signed messages: this one was sealed by an older version',
  'wrong-signer': 'the message is signed by another identity than this connection presented',
  'wrong-name': 'the message carries another name than this connection presented',
  unavailable: 'the server cannot reach its message store right now',
  'not-author': 'only the member who wrote a message can edit or delete it',
  'unknown-room': UNKNOWN_ROOM_MESSAGE,
};

export function serverErrorWords(code: ErrorCode): string {
  return SERVER_ERROR_WORDS[code];
}
