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
