// The plaintext a message body becomes, checked against the envelope's limit before anything is
// sealed or queued, so the user hears about a message that is too long while still typing it.
import { MAX_PLAINTEXT_BYTES } from '../crypto';
import { MessageBody, encodeBody } from '../protocol/body';
import { ChatClientError } from './errors';

/** The body as it will be sealed; too-large when it would not fit an envelope. */
export function encodeMessageBody(body: MessageBody): Uint8Array {
  const plaintext = encodeBody(body);
  if (plaintext.length > MAX_PLAINTEXT_BYTES) {
    throw new ChatClientError('too-large', `a message can hold at most ${MAX_PLAINTEXT_BYTES} bytes (this one has ${plaintext.length})`);
  }
  return plaintext;
}
