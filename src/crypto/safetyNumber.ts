// Safety numbers: Signal's numeric fingerprint (libsignal NumericFingerprintGenerator, display
// version) over two identity keys. Each side's 30 digits come from its own key alone, and the two
// halves are joined in sorted order, so both members compute the same 60 digits whichever of them
// asks. Comparing them out of band (in person, on a call) proves that each holds the other's key.
import { checkPublicKey } from './identity';
import { sha512 } from './primitives';

/** Signal's figure: 5,200 SHA-512 iterations per side make a collision search about 2^112 hash work. */
export const SAFETY_NUMBER_ITERATIONS = 5200;
const FINGERPRINT_VERSION = 0;
/**
 * Signal binds each key to its owner's stable identifier (a phone number). Here the key alone is
 * the member's identity, so every key takes this same identifier: two members' number is the same
 * in every room they share.
 */
const STABLE_ID = Buffer.from('secure-chat v3 identity', 'ascii');
const CHUNKS = 6;
const CHUNK_BYTES = 5;
const DIGITS_PER_CHUNK = 5;

export interface FingerprintParty {
  readonly publicKey: Uint8Array;
  readonly stableId: Uint8Array;
}

/**
 * One side's 30 digits: h₀ = u16(version) ‖ key ‖ stable id, hᵢ₊₁ = SHA-512(hᵢ ‖ key), then six
 * 5-byte big-endian chunks of the last hash, each mod 100,000, as five digits.
 */
export function numericFingerprint(party: FingerprintParty, iterations: number, version = FINGERPRINT_VERSION): string {
  const start = Buffer.alloc(2);
  start.writeUInt16BE(version);
  let hash: Buffer = Buffer.concat([start, party.publicKey, party.stableId]);
  for (let i = 0; i < iterations; i++) hash = sha512(hash, party.publicKey);
  let digits = '';
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const value = hash.readUIntBE(chunk * CHUNK_BYTES, CHUNK_BYTES) % 10 ** DIGITS_PER_CHUNK;
    digits += String(value).padStart(DIGITS_PER_CHUNK, '0');
  }
  return digits;
}

/** Signal's displayable fingerprint: both sides' digits, the smaller string first. */
export function displayableFingerprint(a: FingerprintParty, b: FingerprintParty, iterations: number, version = FINGERPRINT_VERSION): string {
  return [numericFingerprint(a, iterations, version), numericFingerprint(b, iterations, version)].sort().join('');
}

/**
 * The safety number of two members' identity keys: 60 digits in twelve groups of five, the same
 * for either order of the keys. A key that is not a valid identity key is the generic CryptoError.
 */
export function safetyNumber(ours: Uint8Array, theirs: Uint8Array): string {
  checkPublicKey(ours);
  checkPublicKey(theirs);
  const digits = displayableFingerprint({ publicKey: ours, stableId: STABLE_ID }, { publicKey: theirs, stableId: STABLE_ID }, SAFETY_NUMBER_ITERATIONS);
  return (digits.match(/\d{5}/g) ?? []).join(' ');
}
