// The client's public types: its options, its state and the payloads of its events.
import type WebSocket from 'ws';
import type { IdentityKey } from '../crypto';
import type { MessageBody } from '../protocol/body';
import type { BackoffOptions } from './backoff';
import type { Clock } from './clock';
import type { Logger } from '../protocol/log';
import type { SealedOutboxEntry } from './outbox';

/** Problems that stop reconnecting until connect() is called again (after the user acts). */
export type FatalErrorKind = 'auth-failed' | 'room-changed' | 'name-taken' | 'incompatible';

export type ConnectionState =
  | { readonly status: 'disconnected' }
  | { readonly status: 'connecting' }
  | { readonly status: 'authenticating' }
  | { readonly status: 'connected' }
  /** Lost or could not reach the server; the attempt-th retry starts in inMs. */
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly inMs: number; readonly reason: string }
  | { readonly status: 'error'; readonly kind: FatalErrorKind; readonly message: string };

/** `capMs` defaults to 5 minutes for reconnects (retryNow() skips the wait). */
export interface ReconnectOptions extends BackoffOptions {
  /** A connection that lasts this long resets the back-off. Default 10 s. */
  readonly stableMs?: number;
}

export interface ChatClientOptions {
  /** ws://host:port or wss://host:port. */
  readonly address: string;
  /** The room password, or a function asked for it when the room's keys are not yet known. */
  readonly password: string | (() => string | Promise<string>);
  /** 1-16 bytes of UTF-8. */
  readonly username: string;
  /**
   * The installation's identity key (the host keeps it in SecretStorage). Without one the client
   * makes a key of its own, so it is a new member of every room for its lifetime only.
   */
  readonly identity?: IdentityKey;
  /**
   * Hex room id the server at this address served before: one presenting another room is refused
   * ('room-changed') before anything is sent to it. Without it, the first verified room is pinned
   * for the life of the client.
   */
  readonly pinnedRoom?: string;
  /** Weakest PBKDF2 work factor accepted from a server. Default 600,000; tests lower it. */
  readonly minIterations?: number;
  readonly reconnect?: ReconnectOptions;
  /** Unconfirmed messages kept while offline. Default 1,000. */
  readonly outboxLimit?: number;
  /**
   * Messages an earlier client of this room left waiting (its `outbox` events), sealed: sent first
   * once connected, and announced as `reloaded` when the room's keys open them.
   */
  readonly outbox?: readonly SealedOutboxEntry[];
  /** Messages per "load older" page (at most 200). Default 50. */
  readonly historyPageSize?: number;
  /** WebSocket upgrade, handshake-frame and keep-alive timeout. Default 20 s. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Passed to ws, e.g. `ca` for a server with a self-signed certificate. */
  readonly webSocket?: WebSocket.ClientOptions;
}

/** A message as sent by this client, before the server confirms it. */
export interface LocalMessage {
  /**
   * Hex id; delivery events name the message by it from send() to the server's answer, also after a
   * re-seal, and for a message typed before the room's keys were known (sealed later, under this id).
   */
  readonly id: string;
  readonly username: string;
  readonly timestamp: number;
  readonly body: MessageBody;
  readonly status: 'pending';
}

/** A member online: one per identity key, however many connections it has. */
export interface OnlineMember {
  /** The member's Ed25519 identity public key (32 bytes). */
  readonly key: Uint8Array;
  readonly name: string;
}

/** A member online came under another name than the one this client last saw for its key. */
export interface RenamedMember {
  readonly key: Uint8Array;
  readonly from: string;
  readonly to: string;
}

/** A message from the room, decrypted and verified. */
export interface ChatMessage {
  /** Hex message id. */
  readonly id: string;
  /** Absent for history sent again as a live frame: its seq is no one's word but the sender's. */
  readonly seq?: number;
  readonly username: string;
  /** Sender's clock, milliseconds since the Unix epoch. */
  readonly timestamp: number;
  /** For an unreadable body (a buggy or newer client), UNREADABLE_BODY. */
  readonly body: MessageBody;
  readonly readable: boolean;
  /**
   * The Ed25519 public key whose signature verified, or null for unsigned history (envelope
   * versions 1 and 2, from before messages were signed): nothing proves who sent it.
   */
  readonly signer: Uint8Array | null;
  /** Signed by this client's identity key (ChatClient.identityPublicKey()); unsigned history is never own. */
  readonly own: boolean;
  /**
   * Stored since the last connection: a live frame after the welcome, stamped recently, or a message
   * of the catch-up. False for history, also history a live frame sent again (a replayed capture):
   * no notification for it, and it belongs where its timestamp puts it.
   */
  readonly news: boolean;
}

export interface DeliveryUpdate {
  /** LocalMessage.id */
  readonly id: string;
  readonly status: 'pending' | 'sent' | 'failed';
  /** Known once stored; a 'sent' without seq may be followed by one with it. */
  readonly seq?: number;
  /** Why it failed, or why it is waiting again. */
  readonly reason?: string;
}

export interface HistoryPage {
  /** Older messages not seen before, ascending by seq. */
  readonly messages: readonly ChatMessage[];
  /** Whether the server holds messages older than these. */
  readonly hasMore: boolean;
}

export interface ChatClientEvents {
  state: ConnectionState;
  /** Live messages and those caught up after a reconnect, each once; see ChatMessage.news. Order by seq for display. */
  message: ChatMessage;
  delivery: DeliveryUpdate;
  /** Members online, one per identity key, sorted by name then key; empty while not connected. */
  presence: readonly OnlineMember[];
  /** A member's key came back (or is online) under another name than this client last saw for it. */
  renamed: RenamedMember;
  /** The latest page on first connect, then each loadOlder() page. */
  history: HistoryPage;
  /** What waits to be sent changed: sealed entries only, to keep across a restart (options.outbox). */
  outbox: readonly SealedOutboxEntry[];
  /** A message of options.outbox, opened once the room's keys are known; delivery events follow. */
  reloaded: LocalMessage;
  /** A member online (not this client's key) is typing: a verified signal, at most one per TYPING_INTERVAL_MS from each. */
  typing: OnlineMember;
}
