// Version 1's handshake, which no peer runs any more: mutual authentication by proof of the room
// key, each side sending an HMAC over the same transcript under a different label. Kept for the
// record docs/PROTOCOL.md prints (its worked example) and as the positive control of the
// offline-guessing tests and the CPace benchmark: anyone holding a transcript can check a password
// guess against these proofs, which is what version 2 removes.
import { CryptoError, RoomKeys, RoomParams, USERNAME_BLOCK_BYTES } from '../../src/crypto';
import { constantTimeEqual, hmacSha256, randomBytes } from '../../src/crypto/primitives';

export const NONCE_BYTES = 32;
export const PROOF_BYTES = 32;
const TRANSCRIPT_LABEL = Buffer.from('secure-chat v1 handshake', 'ascii');
const CLIENT_PROOF_LABEL = Buffer.from('client', 'ascii');
const SERVER_PROOF_LABEL = Buffer.from('server', 'ascii');

export interface HandshakeTranscript {
  readonly room: RoomParams;
  readonly serverNonce: Buffer;
  readonly clientNonce: Buffer;
  /** The client's encrypted username, so the proof also vouches for who joins. */
  readonly usernameBlock: Buffer;
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

/** Fixed-length fields only, so the concatenation is unambiguous. */
export function encodeTranscript(t: HandshakeTranscript): Buffer {
  if (t.serverNonce.length !== NONCE_BYTES || t.clientNonce.length !== NONCE_BYTES || t.usernameBlock.length !== USERNAME_BLOCK_BYTES) {
    throw new CryptoError();
  }
  const iterations = Buffer.alloc(4);
  iterations.writeUInt32BE(t.room.kdf.iterations);
  return Buffer.concat([TRANSCRIPT_LABEL, t.room.roomId, iterations, t.room.kdf.salt, t.serverNonce, t.clientNonce, t.usernameBlock]);
}

export function clientProof(keys: RoomKeys, transcript: HandshakeTranscript): Buffer {
  return hmacSha256(keys.handshakeAuth, CLIENT_PROOF_LABEL, encodeTranscript(transcript));
}

export function serverProof(keys: RoomKeys, transcript: HandshakeTranscript): Buffer {
  return hmacSha256(keys.handshakeAuth, SERVER_PROOF_LABEL, encodeTranscript(transcript));
}

/** Constant-time check of a peer's proof; a mismatch is the generic CryptoError. */
export function verifyClientProof(keys: RoomKeys, transcript: HandshakeTranscript, proof: Uint8Array): void {
  if (!constantTimeEqual(clientProof(keys, transcript), proof)) throw new CryptoError();
}

export function verifyServerProof(keys: RoomKeys, transcript: HandshakeTranscript, proof: Uint8Array): void {
  if (!constantTimeEqual(serverProof(keys, transcript), proof)) throw new CryptoError();
}
