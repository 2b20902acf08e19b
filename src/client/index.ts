// The chat client's public surface, for the extension host and anything else that wants to chat.
export { addressProblem, canonicalAddress } from './address';
export { ChatClient, UNREADABLE_BODY } from './chatClient';
export { TypedEmitter } from './emitter';
export { ChatClientError, errorMessage } from './errors';
export { encodeMessageBody } from './messageBody';
export type { ChatClientErrorCode } from './errors';
export type { BackoffOptions } from './backoff';
export type { SealedOutboxEntry } from './outbox';
export type { Clock } from './clock';
export type { LogFields, LogLevel, Logger } from '../protocol/log';
export type {
  ChatClientEvents, ChatClientOptions, ChatMessage, ConnectionState, DeliveryUpdate, FatalErrorKind, HistoryPage, LocalMessage,
  OnlineMember, ReconnectOptions, RenamedMember,
} from './types';
export { UsernameError } from '../crypto';
export type { MessageBody, Snippet } from '../protocol/body';
