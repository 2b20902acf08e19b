/**
 * The single error for every failed verification or decryption: wrong length, version, room, MAC,
 * padding or username block all look the same to the caller, so nothing can be learned from which
 * check failed (no padding oracle, no MAC-vs-format distinction).
 */
export class CryptoError extends Error {
  constructor() {
    super('message rejected: it failed verification');
    this.name = 'CryptoError';
  }
}
