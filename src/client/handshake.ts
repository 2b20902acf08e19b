// The client side of the version-2 handshake: check the room the server offers (and the room pinned
// for this address), run CPace on the room's PBKDF2 output, demand the server's confirmation before
// saying anything more, then confirm in turn and take the epoch secrets the server seals for this
// connection. Before the server has confirmed, the client sends its nonce and its CPace share only:
// a fake server learns nothing it could test a password guess against.
import {
  ChannelKeys, CPACE_NONCE_BYTES, CryptoError, IdentityKey, ProofContext, RoomParams, checkRoomParams, deriveMasterSecret, openEpochSecret,
  proveIdentity, sealUsername, startCpaceClient,
} from '../crypto';
import { randomBytes } from 'crypto';
import { CLOSE_CODES, PROTOCOL_VERSION, ServerFrame } from '../protocol/wire';
import { Connection, ConnectionClosed } from './connection';
import type { RoomSecretCache } from './keyCache';
import { Keyring } from './keyring';
import { UNKNOWN_ROOM_MESSAGE, errorMessage, serverErrorWords } from './errors';

/** 'network' failures are worth retrying; the others need the user. */
export type HandshakeFailureKind = 'auth-failed' | 'room-changed' | 'name-taken' | 'incompatible' | 'network';

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
  /** The installation's identity: `present` proves this connection holds it. */
  readonly identity: IdentityKey;
  readonly minIterations: number;
  readonly secretCache: RoomSecretCache;
  /** Asked only when the cache has no secret for the room the server offers. */
  readonly getPassword: () => Promise<string>;
  /** Hex room id this address served before: a server presenting another room is refused. */
  readonly pinnedRoom?: string;
}

export interface Session {
  readonly room: RoomParams;
  /** Every epoch the server holds, opened; the current one is set. */
  readonly keyring: Keyring;
  /** Keys of this connection's CPace channel: later `epoch` frames are sealed under them. */
  readonly channel: ChannelKeys;
  /** Presence entries: u32 epoch, then the username block. */
  readonly online: Buffer[];
  readonly latestSeq: number;
}

/**
 * CPace cannot tell a wrong password from a server that does not know the right one: either way
 * the server's confirmation does not check. Both call for the user: retype it, or check the address.
 */
export const SERVER_UNVERIFIED_MESSAGE = 'the server did not prove it knows this room password: the password is wrong, or this is not your room\'s server';
export const PASSWORD_CHANGED_MESSAGE = 'the room password was changed: enter the new password';
export const UPGRADE_REQUIRED_MESSAGE = 'this Secure Chat extension is older than the server: upgrade the extension';

export async function performHandshake(connection: Connection, input: HandshakeInput): Promise<Session> {
  const hello = await expectFrame(connection, 'hello');
  if (hello.version < PROTOCOL_VERSION) {
    throw new HandshakeFailure('incompatible', `the server speaks protocol version ${hello.version}, older than this extension's ${PROTOCOL_VERSION}: upgrade the server`);
  }
  if (hello.version > PROTOCOL_VERSION) {
    throw new HandshakeFailure('incompatible', `the server speaks protocol version ${hello.version}: ${UPGRADE_REQUIRED_MESSAGE}`);
  }
  const roomId = hello.room.roomId.toString('hex');
  if (input.pinnedRoom !== undefined && input.pinnedRoom !== roomId) {
    throw new HandshakeFailure('room-changed', `the server at this address presents another room (${roomId.slice(0, 8)}…) than the one it served before (${input.pinnedRoom.slice(0, 8)}…); it may not be your team's server. Nothing was sent to it.`);
  }
  const problem = checkRoomParams(hello.room, input.minIterations);
  if (problem) throw new HandshakeFailure('incompatible', `refusing the server's room settings: ${problem}`);

  const prs = input.secretCache.get(hello.room) ?? (await derive(hello.room, input));
  const context = { roomId: hello.room.roomId, serverNonce: hello.nonce, clientNonce: randomBytes(CPACE_NONCE_BYTES) };
  const cpace = startCpaceClient(prs, context);
  connection.send({ type: 'cpace', nonce: context.clientNonce, share: cpace.message });

  const confirm = await expectFrame(connection, 'confirm');
  let finished;
  try {
    finished = cpace.finish(confirm.share, confirm.proof);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    input.secretCache.forget();
    throw new HandshakeFailure('auth-failed', SERVER_UNVERIFIED_MESSAGE);
  }
  connection.send({ type: 'confirm', proof: finished.confirmation });
  const keyring = new Keyring(hello.room.roomId);
  try {
    const proofContext = { sessionId: Buffer.concat([hello.nonce, context.clientNonce]), clientMessage: cpace.message, serverMessage: confirm.share };
    const present = { username: input.username, identity: input.identity, proofContext };
    const welcome = await receiveEpochs(connection, keyring, hello.room.roomId, finished.channel, present);
    return { room: hello.room, keyring, channel: finished.channel, online: welcome.online, latestSeq: welcome.latestSeq };
  } catch (error) {
    keyring.wipe();
    if (error instanceof HandshakeFailure && error.kind === 'auth-failed') input.secretCache.forget();
    throw error;
  }
}

/**
 * `epoch` frames up to the current one; then the username block goes out sealed under it (`present`)
 * and `welcome` answers. An epoch may still arrive before the welcome (a rotation just then).
 */
interface Presentation {
  readonly username: string;
  readonly identity: IdentityKey;
  readonly proofContext: ProofContext;
}

async function receiveEpochs(connection: Connection, keyring: Keyring, roomId: Buffer, channel: ChannelKeys, presentation: Presentation): Promise<Extract<ServerFrame, { type: 'welcome' }>> {
  let presented = false;
  for (;;) {
    const frame = await expectFrame(connection, ...(presented ? ['epoch', 'welcome'] as const : ['epoch'] as const));
    if (frame.type === 'welcome') {
      if (!keyring.has(frame.epoch)) throw new HandshakeFailure('incompatible', 'the server did not send the key of the current epoch');
      return frame;
    }
    openEpochFrame(keyring, roomId, channel, frame);
    const current = keyring.current;
    if (!presented && current) {
      const { username, identity, proofContext } = presentation;
      connection.send({
        type: 'present', epoch: current.epoch, user: sealUsername(current, username),
        identity: identity.publicKey, identityProof: proveIdentity(identity, proofContext),
      });
      presented = true;
    }
  }
}

/** Opens one `epoch` frame into the keyring; a secret that does not open is the server's fault, and refused. */
export function openEpochFrame(keyring: Keyring, roomId: Buffer, channel: ChannelKeys, frame: Extract<ServerFrame, { type: 'epoch' }>): void {
  let secret: Buffer;
  try {
    secret = openEpochSecret(channel, roomId, frame.number, frame.secret);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new HandshakeFailure('incompatible', 'the server sent an epoch key that failed verification');
  }
  keyring.add(frame.number, secret, frame.current);
}

/**
 * The secret is cached as soon as it is derived, before the server accepts it: if the connection
 * drops while the user types the password (the server times out slow handshakes), the retry must
 * not ask again. A rejection forgets it.
 */
async function derive(room: RoomParams, input: HandshakeInput): Promise<Buffer> {
  let secret: Buffer;
  try {
    secret = await deriveMasterSecret(await input.getPassword(), room.kdf);
  } catch (error) {
    // An empty password, or a prompt the user cancelled: either way the user must be asked again.
    throw new HandshakeFailure('auth-failed', `no usable room password: ${errorMessage(error)}`);
  }
  input.secretCache.set(room, secret);
  return secret;
}

/** The failure a close code or an error frame during the handshake stands for. */
function refusal(code: number | undefined, errorCode: string | undefined, reason: string): HandshakeFailure {
  if (code === CLOSE_CODES.authFailed || errorCode === 'auth-failed') return new HandshakeFailure('auth-failed', 'the server rejected the room password');
  if (code === CLOSE_CODES.passwordChanged || errorCode === 'password-changed') return new HandshakeFailure('auth-failed', PASSWORD_CHANGED_MESSAGE);
  if (errorCode === 'name-taken' || errorCode === 'too-many-names') return new HandshakeFailure('name-taken', serverErrorWords(errorCode));
  if (code === CLOSE_CODES.upgradeRequired || errorCode === 'upgrade-required') return new HandshakeFailure('incompatible', UPGRADE_REQUIRED_MESSAGE);
  if (code === CLOSE_CODES.unknownRoom || errorCode === 'unknown-room') return new HandshakeFailure('incompatible', UNKNOWN_ROOM_MESSAGE);
  return new HandshakeFailure('network', reason);
}

async function expectFrame<T extends ServerFrame['type']>(connection: Connection, ...types: T[]): Promise<Extract<ServerFrame, { type: T }>> {
  let received;
  try {
    received = await connection.nextFrame();
  } catch (error) {
    if (!(error instanceof ConnectionClosed)) throw error;
    throw refusal(error.info.code, undefined, error.info.reason);
  }
  if (!received.ok) throw new HandshakeFailure('incompatible', `the server sent an invalid handshake frame: ${received.error}`);
  const frame = received.value;
  if ((types as string[]).includes(frame.type)) return frame as Extract<ServerFrame, { type: T }>;
  if (frame.type === 'error') {
    // server-full, backoff, shutting-down, handshake-timeout...: worth another try later.
    throw refusal(undefined, frame.code, `the server refused the connection: ${serverErrorWords(frame.code)}`);
  }
  throw new HandshakeFailure('incompatible', `the server sent "${frame.type}" where "${types.join('" or "')}" was expected`);
}
