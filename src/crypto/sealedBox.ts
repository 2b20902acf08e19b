// The encrypt-then-MAC box the server's secrets are kept and sent in: IV ‖ AES-256-CBC(K_enc, IV,
// plaintext) ‖ HMAC-SHA256(K_mac, header ‖ IV ‖ ciphertext). The header names what the box holds
// (an ASCII label) and what it is bound to (the room, an epoch number); it travels beside the box,
// never in it. One construction for every such box, so each only chooses its header.
import type { ChannelKeys } from './cpace';
import { CryptoError } from './errors';
import { AES_BLOCK_BYTES, SHA256_BYTES, aesCbcDecrypt, aesCbcEncrypt, constantTimeEqual, hmacSha256 } from './primitives';

/** AES-256-CBC and HMAC-SHA256 keys for a sealed box (a connection's channel keys, or keys at rest). */
export type SecretSealingKeys = ChannelKeys;

/** IV and tag: what a box adds to its ciphertext. */
export const SEALED_BOX_OVERHEAD = AES_BLOCK_BYTES + SHA256_BYTES;

export type RandomSource = (length: number) => Buffer;

/**
 * Seals `plaintext` under `keys`, bound to `header`. `pkcs7` false is for plaintexts of whole
 * blocks whose length the opener knows (a 32-byte secret): no padding block.
 */
export function sealBox(keys: SecretSealingKeys, header: Uint8Array, plaintext: Uint8Array, pkcs7: boolean, random: RandomSource): Buffer {
  const iv = random(AES_BLOCK_BYTES);
  const body = Buffer.concat([iv, aesCbcEncrypt(keys.encryption, iv, plaintext, pkcs7)]);
  return Buffer.concat([body, hmacSha256(keys.mac, header, body)]);
}

/** Checks the tag in constant time before decrypting; every failure (length, tag, padding) is the generic CryptoError. */
export function openBox(keys: SecretSealingKeys, header: Uint8Array, sealed: Uint8Array, pkcs7: boolean): Buffer {
  const ciphertextBytes = sealed.length - SEALED_BOX_OVERHEAD;
  if (ciphertextBytes < (pkcs7 ? AES_BLOCK_BYTES : 0) || ciphertextBytes % AES_BLOCK_BYTES !== 0) throw new CryptoError();
  const body = sealed.subarray(0, sealed.length - SHA256_BYTES);
  if (!constantTimeEqual(hmacSha256(keys.mac, header, body), sealed.subarray(body.length))) throw new CryptoError();
  try {
    return aesCbcDecrypt(keys.encryption, body.subarray(0, AES_BLOCK_BYTES), body.subarray(AES_BLOCK_BYTES), pkcs7);
  } catch {
    throw new CryptoError();
  }
}
