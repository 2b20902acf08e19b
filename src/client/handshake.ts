// The client side of the handshake: check the room the server offers, prove knowledge of the room
// key, and demand the server's proof in return before anything else is trusted or sent.
import {
  CryptoError, RoomKeys, RoomParams, checkRoomParams, clientProof, deriveRoomKeys, newNonce, sealUsername, verifyServerProof,
} from '../crypto';
import { CLOSE_CODES, PROTOCOL_VERSION, ServerFrame } from '../protocol/wire';
import { Connection, ConnectionClosed } from './connection';
import type { RoomKeyCache } from './keyCache';
import { errorMessage, serverErrorWords } from './errors';

/** 'network' failures are worth retrying; the others need the user. */
export type HandshakeFailureKind = 'auth-failed' | 'server-unverified' | 'incompatible' | 'network';

export class HandshakeFailure extends Error {
  constructor(
    readonly kind: HandshakeFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'HandshakeFailure';
  }
}

export interface HandshakeInput {
  readonly username: string;
  readonly minIterations: number;
  readonly keyCache: RoomKeyCache;
  /** Asked only when the cache has no keys for the room the server offers. */
  readonly getPassword: () => Promise<string>;
}

export interface Session {
  readonly room: RoomParams;
  /** Verified: the server proved it holds the same keys. */
  readonly keys: RoomKeys;
  readonly online: Buffer[];
  readonly latestSeq: number;
}

export const SERVER_UNVERIFIED_MESSAGE = 'the server could not prove it knows the room password';

export async function performHandshake(connection: Connection, input: HandshakeInput): Promise<Session> {
  const hello = await expectFrame(connection, 'hello');
  if (hello.version !== PROTOCOL_VERSION) {
    throw new HandshakeFailure('incompatible', `the server speaks protocol version ${hello.version}; this client speaks version ${PROTOCOL_VERSION}`);
  }
  const problem = checkRoomParams(hello.room, input.minIterations);
  if (problem) throw new HandshakeFailure('incompatible', `refusing the server's room settings: ${problem}`);

  const keys = input.keyCache.get(hello.room) ?? (await derive(hello.room, input));
  const clientNonce = newNonce();
  const usernameBlock = sealUsername(keys, input.username);
  const transcript = { room: hello.room, serverNonce: hello.nonce, clientNonce, usernameBlock };
  connection.send({ type: 'auth', nonce: clientNonce, user: usernameBlock, proof: clientProof(keys, transcript) });

  let welcome: Extract<ServerFrame, { type: 'welcome' }>;
  try {
    welcome = await expectFrame(connection, 'welcome');
  } catch (error) {
    if (error instanceof HandshakeFailure && error.kind === 'auth-failed') input.keyCache.forget();
    throw error;
  }
  try {
    verifyServerProof(keys, transcript, welcome.proof);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    input.keyCache.forget();
    throw new HandshakeFailure('server-unverified', SERVER_UNVERIFIED_MESSAGE);
  }
  return { room: hello.room, keys, online: welcome.online, latestSeq: welcome.latestSeq };
}

/**
 * Keys are cached as soon as they are derived, before the server accepts them: if the connection
 * drops while the user types the password (the server times out slow handshakes), the retry must
 * not ask again. A rejection forgets them.
 */
async function derive(room: RoomParams, input: HandshakeInput): Promise<RoomKeys> {
  let keys: RoomKeys;
  try {
    keys = await deriveRoomKeys(await input.getPassword(), room);
  } catch (error) {
    // An empty password, or a prompt the user cancelled: either way the user must be asked again.
    throw new HandshakeFailure('auth-failed', `no usable room password: ${errorMessage(error)}`);
  }
  input.keyCache.set(room, keys);
  return keys;
}

async function expectFrame<T extends ServerFrame['type']>(connection: Connection, type: T): Promise<Extract<ServerFrame, { type: T }>> {
  let received;
  try {
    received = await connection.nextFrame();
  } catch (error) {
    if (!(error instanceof ConnectionClosed)) throw error;
    if (error.info.code === CLOSE_CODES.authFailed) throw new HandshakeFailure('auth-failed', error.info.reason);
    throw new HandshakeFailure('network', error.info.reason);
  }
  if (!received.ok) throw new HandshakeFailure('incompatible', `the server sent an invalid handshake frame: ${received.error}`);
  const frame = received.value;
  if (frame.type === type) return frame as Extract<ServerFrame, { type: T }>;
  if (frame.type === 'error') {
    if (frame.code === 'auth-failed') throw new HandshakeFailure('auth-failed', 'the server rejected the room password');
    // server-full, backoff, shutting-down, handshake-timeout...: worth another try later.
    throw new HandshakeFailure('network', `the server refused the connection: ${serverErrorWords(frame.code)}`);
  }
  throw new HandshakeFailure('incompatible', `the server sent "${frame.type}" where "${type}" was expected`);
}
