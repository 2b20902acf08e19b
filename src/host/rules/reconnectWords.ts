// Why the chat is waiting to reconnect, in words a person can act on. The client reports a lost or
// refused connection in its own words (see client/connection.ts), except for the local socket
// error, which reads like "connect ECONNREFUSED 127.0.0.1:7777": that becomes a sentence here.

import { Translate, english } from './words';

/** The socket error codes a person meets, by what they mean for the chat. */
const SOCKET_ERRORS: readonly (readonly [RegExp, (t: Translate) => string])[] = [
  [/\bECONNREFUSED\b/u, (t) => t('Nothing answers at this address: the server may be stopped or restarting.')],
  [/\b(?:ENOTFOUND|EAI_AGAIN)\b/u, (t) => t('The server’s name could not be found: check the address and the network.')],
  [/\b(?:ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN)\b/u, (t) => t('The network does not reach the server: check the connection or a VPN.')],
  [/\b(?:ECONNRESET|EPIPE|ECONNABORTED)\b/u, (t) => t('The connection was cut off.')],
];

/** Any other upper-case system error code (EACCES, EPROTO...). */
const OTHER_SOCKET_ERROR = /\bE[A-Z]{2,}\b/u;

/** The reason for a reconnect as the panel and notifications say it; other reasons are the client's words. */
export function reconnectReasonWords(reason: string, t: Translate = english): string {
  for (const [pattern, words] of SOCKET_ERRORS) if (pattern.test(reason)) return words(t);
  if (OTHER_SOCKET_ERROR.test(reason)) return t('The server could not be reached.');
  const sentence = reason.charAt(0).toUpperCase() + reason.slice(1);
  return /[.!?]$/u.test(sentence) ? sentence : `${sentence}.`;
}
