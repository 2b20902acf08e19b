// CPace (draft-irtf-cfrg-cpace-21), cipher suite CPACE-RISTR255-SHA512, initiator-responder mode,
// plus the explicit key confirmation and key schedule of secure-chat v2 (docs/PROTOCOL.md, part 2).
// The client is the initiator (A), the server the responder (B). The password-related string is
// the room's PBKDF2 output, so neither side ever handles the password past that step.
//
// What an eavesdropper or a fake server sees (nonces and the two 32-byte points Ya, Yb, then MACs
// under keys from ISK) is consistent with every password guess: checking a guess needs K, a
// Diffie-Hellman value of the two points, which takes one of the secret scalars. So each guess
// costs one live connection; none can be tested offline. The tests in cpace.test.ts show this.
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { createHash } from 'crypto';
import { CryptoError } from './errors';
import { KEY_BYTES, ROOM_ID_BYTES } from './keys';
import { constantTimeEqual, hkdfSha256, hmacSha256, randomBytes } from './primitives';

type RistrettoPoint = InstanceType<typeof ristretto255.Point>;
type RandomSource = (length: number) => Buffer;

/** G_Ristretto255.DSI. */
export const CPACE_DSI = Buffer.from('CPaceRistretto255', 'ascii');
/** SHA-512's input block size, H.s_in_bytes: the generator string's zero padding fills the first block. */
const SHA512_BLOCK_BYTES = 128;
/** Bytes of an encoded ristretto255 element (Ya, Yb, K) and of a scalar. */
export const CPACE_ELEMENT_BYTES = 32;
/** G.I, the encoding of the neutral element. */
const IDENTITY = Buffer.alloc(CPACE_ELEMENT_BYTES);
export const CPACE_NONCE_BYTES = 32;
export const CONFIRMATION_BYTES = 32;

// ---- The draft's building blocks, named as in the draft (appendix A) and checked against its vectors.

/** prepend_len: LEB128 length, then the bytes. */
export function prependLen(data: Uint8Array): Buffer {
  const length: number[] = [];
  let rest = data.length;
  do {
    length.push(rest < 128 ? rest : (rest & 0x7f) | 0x80);
    rest >>>= 7;
  } while (rest > 0);
  return Buffer.concat([Buffer.from(length), data]);
}

/** lv_cat: every argument with its length prepended. */
export function lvCat(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts.map(prependLen));
}

/** generator_string(G.DSI, PRS, CI, sid, H.s_in_bytes) of section 8.1. */
export function generatorString(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): Buffer {
  const zeroPad = Math.max(0, SHA512_BLOCK_BYTES - 1 - prependLen(prs).length - prependLen(CPACE_DSI).length);
  return lvCat(CPACE_DSI, prs, Buffer.alloc(zeroPad), ci, sid);
}

function sha512(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha512');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** calculate_generator: SHA-512 of the generator string, then ristretto255 element derivation (RFC 9496 4.3.4). */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RistrettoPoint {
  return ristretto255_hasher.deriveToCurve!(sha512(generatorString(prs, ci, sid)));
}

/**
 * sample_scalar as section 8.3 recommends: 32 random bytes with the bits above 2^252 cleared, read
 * little-endian (below the group order). Zero, which no honest draw gives, is drawn again.
 */
export function sampleScalar(random: RandomSource): Buffer {
  for (;;) {
    const scalar = random(CPACE_ELEMENT_BYTES);
    scalar[CPACE_ELEMENT_BYTES - 1] &= 0x0f;
    if (scalar.some((byte) => byte !== 0)) return scalar;
  }
}

function scalarValue(scalar: Uint8Array): bigint {
  if (scalar.length !== CPACE_ELEMENT_BYTES) throw new CryptoError();
  return BigInt(`0x${Buffer.from(scalar).reverse().toString('hex')}`);
}

/** scalar_mult: y times an internal point, encoded. */
export function scalarMult(scalar: Uint8Array, point: RistrettoPoint): Buffer {
  return Buffer.from(point.multiply(scalarValue(scalar)).toBytes());
}

/**
 * scalar_mult_vfy: y times an encoded point, encoded; G.I (32 zero bytes) when the encoding is not
 * a canonical ristretto255 element. The identity itself decodes, and any multiple of it is G.I.
 */
export function scalarMultVfy(scalar: Uint8Array, encoded: Uint8Array): Buffer {
  let point: RistrettoPoint;
  try {
    point = ristretto255.Point.fromBytes(encoded);
  } catch {
    return Buffer.from(IDENTITY);
  }
  return point.is0() ? Buffer.from(IDENTITY) : scalarMult(scalar, point);
}

/** transcript_ir(Ya, ADa, Yb, ADb). */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Buffer {
  return Buffer.concat([lvCat(ya, ada), lvCat(yb, adb)]);
}

/** ISK = SHA-512(lv_cat(G.DSI ‖ "_ISK", sid, K) ‖ transcript). */
export function intermediateSessionKey(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Buffer {
  return sha512(lvCat(Buffer.concat([CPACE_DSI, Buffer.from('_ISK', 'ascii')]), sid, k), transcript);
}

/** The optional sid_output of section 10.6 (only for the vectors: secure-chat always has a sid). */
export function sessionIdOutput(transcript: Uint8Array): Buffer {
  return sha512(Buffer.from('CPaceSidOutput', 'ascii'), transcript);
}

// ---- secure-chat v2: inputs, confirmation, and the keys the channel gets.

/** HKDF-SHA256 info labels (ASCII) for the keys taken from ISK. Part of the protocol: see docs/PROTOCOL.md. */
export const CHANNEL_LABELS = {
  serverConfirmation: 'secure-chat v2 server confirmation',
  clientConfirmation: 'secure-chat v2 client confirmation',
  encryption: 'secure-chat v2 channel encryption',
  mac: 'secure-chat v2 channel mac',
} as const;
const CHANNEL_ID_LABEL = Buffer.from('secure-chat v2', 'ascii');
const CLIENT_ROLE = Buffer.from('client', 'ascii');
const SERVER_ROLE = Buffer.from('server', 'ascii');
/** ADa and ADb: nothing travels in the clear beside the points (the roles are in CI). */
const NO_ASSOCIATED_DATA = Buffer.alloc(0);

/** The public values both sides know before the points are computed. */
export interface CpaceContext {
  readonly roomId: Buffer;
  /** The server's fresh nonce (from `hello`). */
  readonly serverNonce: Buffer;
  /** The client's fresh nonce (sent with Ya). */
  readonly clientNonce: Buffer;
}

/** Keys for what travels inside the CPace-keyed channel: AES-256-CBC and HMAC-SHA256 (see epochs.ts). */
export interface ChannelKeys {
  readonly encryption: Buffer;
  readonly mac: Buffer;
}

/** CI = lv_cat("secure-chat v2", room id, "client", "server"): the room and both roles, initiator first. */
export function channelIdentifier(roomId: Buffer): Buffer {
  if (roomId.length !== ROOM_ID_BYTES) throw new CryptoError();
  return lvCat(CHANNEL_ID_LABEL, roomId, CLIENT_ROLE, SERVER_ROLE);
}

/** sid = server nonce ‖ client nonce: unique per connection, contributed by both sides. */
export function sessionId(context: CpaceContext): Buffer {
  if (context.serverNonce.length !== CPACE_NONCE_BYTES || context.clientNonce.length !== CPACE_NONCE_BYTES) throw new CryptoError();
  return Buffer.concat([context.serverNonce, context.clientNonce]);
}

interface SessionKeys {
  readonly serverConfirmation: Buffer;
  readonly clientConfirmation: Buffer;
  readonly channel: ChannelKeys;
}

/** K from a received point, refusing G.I (an invalid encoding or the identity) with the generic error. */
function sharedPoint(scalar: Uint8Array, received: Uint8Array): Buffer {
  if (received.length !== CPACE_ELEMENT_BYTES) throw new CryptoError();
  const k = scalarMultVfy(scalar, received);
  if (constantTimeEqual(k, IDENTITY)) throw new CryptoError();
  return k;
}

/** One key per label from ISK, HKDF-SHA256 salted with the room id; the transcript is what both confirm. */
function sessionKeys(context: CpaceContext, k: Buffer, transcript: Buffer): SessionKeys {
  const isk = intermediateSessionKey(sessionId(context), k, transcript);
  const expand = (label: string) => hkdfSha256(isk, context.roomId, Buffer.from(label, 'ascii'), KEY_BYTES);
  return {
    serverConfirmation: hmacSha256(expand(CHANNEL_LABELS.serverConfirmation), transcript),
    clientConfirmation: hmacSha256(expand(CHANNEL_LABELS.clientConfirmation), transcript),
    channel: { encryption: expand(CHANNEL_LABELS.encryption), mac: expand(CHANNEL_LABELS.mac) },
  };
}

export interface CpaceClient {
  /** Ya, the client's only message before the server has proven the password. */
  readonly message: Buffer;
  /**
   * Takes Yb and the server's confirmation; on success returns the client's confirmation (to send)
   * and the channel keys. Any failure (bad point, wrong confirmation) is the generic CryptoError.
   */
  finish(serverMessage: Uint8Array, serverConfirmation: Uint8Array): { readonly confirmation: Buffer; readonly channel: ChannelKeys };
}

export interface CpaceServer {
  /** Yb, sent with the confirmation. */
  readonly message: Buffer;
  /** The server's confirmation, sent with Yb: proves the password before the client says anything more. */
  readonly confirmation: Buffer;
  /** Checks the client's confirmation in constant time; returns the channel keys only if it is right. */
  finish(clientConfirmation: Uint8Array): ChannelKeys;
}

/** The client's (initiator's) side. `prs` is the room's PBKDF2 output (deriveMasterSecret). */
export function startCpaceClient(prs: Uint8Array, context: CpaceContext): CpaceClient {
  return startCpaceClientWith(prs, context, randomBytes);
}

/** The server's (responder's) side, answering the client's Ya. */
export function respondCpaceServer(prs: Uint8Array, context: CpaceContext, clientMessage: Uint8Array): CpaceServer {
  return respondCpaceServerWith(prs, context, clientMessage, randomBytes);
}

/**
 * With an explicit randomness source: only the worked-example test passes anything but
 * crypto.randomBytes; not exported from the crypto module's public index.
 */
export function startCpaceClientWith(prs: Uint8Array, context: CpaceContext, random: RandomSource): CpaceClient {
  const scalar = sampleScalar(random);
  const message = scalarMult(scalar, calculateGenerator(prs, channelIdentifier(context.roomId), sessionId(context)));
  let used = false;
  return {
    message,
    finish(serverMessage, serverConfirmation) {
      // One scalar, one run: a second finish could serve as an oracle.
      if (used) throw new CryptoError();
      used = true;
      const transcript = transcriptIr(message, NO_ASSOCIATED_DATA, serverMessage, NO_ASSOCIATED_DATA);
      const keys = sessionKeys(context, sharedPoint(scalar, serverMessage), transcript);
      scalar.fill(0);
      if (!constantTimeEqual(keys.serverConfirmation, serverConfirmation)) throw new CryptoError();
      return { confirmation: keys.clientConfirmation, channel: keys.channel };
    },
  };
}

export function respondCpaceServerWith(prs: Uint8Array, context: CpaceContext, clientMessage: Uint8Array, random: RandomSource): CpaceServer {
  const scalar = sampleScalar(random);
  const message = scalarMult(scalar, calculateGenerator(prs, channelIdentifier(context.roomId), sessionId(context)));
  const transcript = transcriptIr(clientMessage, NO_ASSOCIATED_DATA, message, NO_ASSOCIATED_DATA);
  const k = sharedPoint(scalar, clientMessage);
  scalar.fill(0);
  const keys = sessionKeys(context, k, transcript);
  let used = false;
  return {
    message,
    confirmation: keys.serverConfirmation,
    finish(clientConfirmation) {
      if (used) throw new CryptoError();
      used = true;
      if (!constantTimeEqual(keys.clientConfirmation, clientConfirmation)) throw new CryptoError();
      return keys.channel;
    },
  };
}
