// The one error type the client throws at its callers, with a code the UI can branch on. Username
// problems keep the crypto layer's UsernameError, whose message already states the rule.

export type ChatClientErrorCode =
  | 'invalid-address'
  | 'invalid-option'
  | 'not-ready'
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
