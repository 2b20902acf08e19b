// The room verifier: HMAC(handshakeAuth, label). A server keeps it beside the room's public
// parameters so a restart tells a wrong password from a right one without storing anything that
// reveals the keys.
import type { RoomKeys } from './keys';
import { SHA256_BYTES, constantTimeEqual, hmacSha256 } from './primitives';

const VERIFIER_LABEL = Buffer.from('secure-chat v1 verifier', 'ascii');
export const VERIFIER_BYTES = SHA256_BYTES;

export function roomVerifier(keys: RoomKeys): Buffer {
  return hmacSha256(keys.handshakeAuth, VERIFIER_LABEL);
}

/** Constant-time check of a stored verifier against the keys a password derived. */
export function verifierMatches(keys: RoomKeys, stored: Uint8Array): boolean {
  return constantTimeEqual(roomVerifier(keys), stored);
}
