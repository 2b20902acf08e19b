// The server secret: one secret the operator gives a standalone server at start, which unlocks its
// named rooms. Each named room's PBKDF2 output (what its room password derives, never stored) is
// kept sealed under keys from the server secret, so the server can serve the room without anyone
// typing that room's password on the server. PBKDF2 over the secret (its salt and work factor in
// server.json), then HKDF to three keys: a verifier key (a wrong secret is told from a right one),
// and the encrypt-then-MAC pair of the sealed box (sealedBox.ts).
import { CryptoError } from './errors';
import { KEY_BYTES, KdfParams, ROOM_ID_BYTES, deriveMasterSecret } from './keys';
import { SHA256_BYTES, constantTimeEqual, hkdfSha256, hmacSha256, randomBytes } from './primitives';
import { SEALED_BOX_OVERHEAD, SecretSealingKeys, openBox, sealBox } from './sealedBox';

/** HKDF-SHA256 info labels (ASCII) of the keys from the server secret's PBKDF2 output, salted with the KDF salt. */
export const SERVER_SECRET_LABELS = {
  verifier: 'secure-chat v2 server verifier key',
  encryption: 'secure-chat v2 server encryption',
  mac: 'secure-chat v2 server mac',
} as const;
const VERIFIER_LABEL = 'secure-chat v2 server verifier';
/** What a sealed room secret's tag covers before the IV: this label, then the room id. */
const SEALED_ROOM_SECRET_LABEL = 'secure-chat v2 room secret';

export const SERVER_VERIFIER_BYTES = SHA256_BYTES;
/** A sealed room secret (a 32-byte PBKDF2 output): IV, two AES blocks, tag. */
export const SEALED_ROOM_SECRET_BYTES = KEY_BYTES + SEALED_BOX_OVERHEAD;

export interface ServerKeys {
  readonly sealing: SecretSealingKeys;
  readonly verifier: Buffer;
}

/** The slow step (PBKDF2 at the KDF's work factor), then the HKDF expansion. */
export async function deriveServerKeys(secret: string, kdf: KdfParams): Promise<ServerKeys> {
  const master = await deriveMasterSecret(secret, kdf);
  const expand = (label: string) => hkdfSha256(master, kdf.salt, Buffer.from(label, 'ascii'), KEY_BYTES);
  const verifier = hmacSha256(expand(SERVER_SECRET_LABELS.verifier), Buffer.from(VERIFIER_LABEL, 'ascii'));
  master.fill(0);
  return { sealing: { encryption: expand(SERVER_SECRET_LABELS.encryption), mac: expand(SERVER_SECRET_LABELS.mac) }, verifier };
}

/** Constant-time check of a stored verifier against the keys a secret derived. */
export function serverVerifierMatches(keys: ServerKeys, stored: Uint8Array): boolean {
  return constantTimeEqual(keys.verifier, stored);
}

function header(roomId: Buffer): Buffer {
  if (roomId.length !== ROOM_ID_BYTES) throw new CryptoError();
  return Buffer.concat([Buffer.from(SEALED_ROOM_SECRET_LABEL, 'ascii'), roomId]);
}

/** A room's PBKDF2 output under the server keys, bound to the room. */
export function sealRoomSecret(keys: ServerKeys, roomId: Buffer, secret: Uint8Array): Buffer {
  if (secret.length !== KEY_BYTES) throw new RangeError(`a room secret is ${KEY_BYTES} bytes`);
  return sealBox(keys.sealing, header(roomId), secret, false, randomBytes);
}

/** Every failure (length, tag, another room or secret) is the generic CryptoError. */
export function openRoomSecret(keys: ServerKeys, roomId: Buffer, sealed: Uint8Array): Buffer {
  if (sealed.length !== SEALED_ROOM_SECRET_BYTES) throw new CryptoError();
  return openBox(keys.sealing, header(roomId), sealed, false);
}
