// Thin wrappers over Node's built-in crypto: the only place the crypto layer touches OpenSSL.
// Everything above this file composes these; the test vectors run through exactly these functions.
import * as nodeCrypto from 'crypto';

export const SHA256_BYTES = 32;
export const AES_BLOCK_BYTES = 16;

/** PBKDF2-HMAC-SHA256. Asynchronous: it runs on libuv's thread pool, never blocking the caller's loop. */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    nodeCrypto.pbkdf2(password, salt, iterations, length, 'sha256', (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** HKDF-SHA256 (RFC 5869), extract and expand. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  return Buffer.from(nodeCrypto.hkdfSync('sha256', ikm, salt, info, length));
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = nodeCrypto.createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time equality; unequal lengths are simply unequal (lengths are public here). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}

function cbcCipherName(key: Uint8Array): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError('AES key must be 16, 24 or 32 bytes');
  return `aes-${key.length * 8}-cbc`;
}

/** AES-CBC encryption; `pkcs7` false requires whole blocks and adds no padding. */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, pkcs7 = true): Buffer {
  const cipher = nodeCrypto.createCipheriv(cbcCipherName(key), key, iv);
  cipher.setAutoPadding(pkcs7);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** AES-CBC decryption; throws on bad padding (callers fold that into one generic error). */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, pkcs7 = true): Buffer {
  const decipher = nodeCrypto.createDecipheriv(cbcCipherName(key), key, iv);
  decipher.setAutoPadding(pkcs7);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function randomBytes(length: number): Buffer {
  return nodeCrypto.randomBytes(length);
}

export function sha256(...parts: Uint8Array[]): Buffer {
  return digest('sha256', parts);
}

export function sha512(...parts: Uint8Array[]): Buffer {
  return digest('sha512', parts);
}

function digest(algorithm: string, parts: Uint8Array[]): Buffer {
  const hash = nodeCrypto.createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
/**
 * DER headers of an Ed25519 private key (PKCS #8) and public key (SPKI), RFC 8410: Node imports
 * and exports raw Ed25519 keys only inside these structures, so the raw bytes are the suffix.
 */
const ED25519_PKCS8_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

export type Ed25519PrivateKey = nodeCrypto.KeyObject;
export type Ed25519PublicKey = nodeCrypto.KeyObject;

/** The private key of a 32-byte RFC 8032 seed; throws a RangeError for another length. */
export function ed25519PrivateKey(seed: Uint8Array): Ed25519PrivateKey {
  if (seed.length !== ED25519_SEED_BYTES) throw new RangeError(`an Ed25519 private key is ${ED25519_SEED_BYTES} bytes`);
  return nodeCrypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_HEADER, seed]), format: 'der', type: 'pkcs8' });
}

/** The 32-byte seed a private key was made from. */
export function ed25519Seed(key: Ed25519PrivateKey): Buffer {
  return derSuffix(key.export({ format: 'der', type: 'pkcs8' }), ED25519_PKCS8_HEADER);
}

/** The 32-byte encoding (RFC 8032 5.1.2) of a private key's public key. */
export function ed25519PublicKeyOf(key: Ed25519PrivateKey): Buffer {
  return derSuffix(nodeCrypto.createPublicKey(key).export({ format: 'der', type: 'spki' }), ED25519_SPKI_HEADER);
}

/** A public key object from its 32-byte encoding; throws for a length or encoding OpenSSL refuses. */
export function ed25519PublicKey(encoded: Uint8Array): Ed25519PublicKey {
  if (encoded.length !== ED25519_PUBLIC_KEY_BYTES) throw new RangeError(`an Ed25519 public key is ${ED25519_PUBLIC_KEY_BYTES} bytes`);
  return nodeCrypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_HEADER, encoded]), format: 'der', type: 'spki' });
}

/** Pure Ed25519 (RFC 8032, no prehash, no context): deterministic, 64 bytes. */
export function ed25519Sign(key: Ed25519PrivateKey, message: Uint8Array): Buffer {
  return nodeCrypto.sign(null, message, key);
}

/** OpenSSL's Ed25519 verification (RFC 8032 5.1.7, cofactorless, S below the group order); a signature of another length is false. */
export function ed25519Verify(key: Ed25519PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === ED25519_SIGNATURE_BYTES && nodeCrypto.verify(null, message, key, signature);
}

function derSuffix(der: Buffer, header: Buffer): Buffer {
  if (der.length !== header.length + 32 || !der.subarray(0, header.length).equals(header)) throw new Error('unexpected Ed25519 key encoding');
  return Buffer.from(der.subarray(header.length));
}
