// Member identity: one Ed25519 key pair per installation (RFC 8032, Node's built-in crypto). The
// private key is a 32-byte seed the host keeps in SecretStorage; the public key names the member
// in the room, signs every message it sends (envelope version 3) and proves at connect time that
// the connection holds the key it claims. Every failure to import or verify is the generic CryptoError.
import { ed25519 } from '@noble/curves/ed25519.js';
import { CPACE_ELEMENT_BYTES, CPACE_NONCE_BYTES } from './cpace';
import { CryptoError } from './errors';
import {
  ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES, ED25519_SIGNATURE_BYTES, Ed25519PrivateKey, Ed25519PublicKey,
  ed25519PrivateKey, ed25519PublicKey, ed25519PublicKeyOf, ed25519Seed, ed25519Sign, ed25519Verify, randomBytes, sha256,
} from './primitives';

export const IDENTITY_PRIVATE_KEY_BYTES = ED25519_SEED_BYTES;
export const IDENTITY_PUBLIC_KEY_BYTES = ED25519_PUBLIC_KEY_BYTES;
export const SIGNATURE_BYTES = ED25519_SIGNATURE_BYTES;
export const KEY_ID_BYTES = 8;

/**
 * ASCII labels prefixed to everything signed, one per purpose, so a signature made for one purpose
 * is never valid for another (docs/PROTOCOL.md, part 8).
 */
export const SIGNATURE_LABELS = {
  message: 'secure-chat v3 message signature',
  identityProof: 'secure-chat v3 identity proof',
} as const;
/** Prefixed to the public key before it is hashed into a key id, so that hash serves that purpose only. */
const KEY_ID_LABEL = Buffer.from('secure-chat v3 key id', 'ascii');

/**
 * The private key of each IdentityKey, outside the object so that nothing but this module's
 * signing functions can use it, and no logging or serialising of the object can reach it.
 */
const privateKeys = new WeakMap<IdentityKey, Ed25519PrivateKey>();

/** An installation's identity key pair. The private key leaves only through exportPrivateKey, for SecretStorage. */
export class IdentityKey {
  /** The 32-byte RFC 8032 encoding of the public key. */
  readonly publicKey: Buffer;

  private constructor(privateKey: Ed25519PrivateKey) {
    privateKeys.set(this, privateKey);
    this.publicKey = ed25519PublicKeyOf(privateKey);
  }

  static generate(): IdentityKey {
    return new IdentityKey(ed25519PrivateKey(randomBytes(IDENTITY_PRIVATE_KEY_BYTES)));
  }

  /** The identity of a stored 32-byte private key; anything else is the generic CryptoError. */
  static fromPrivateKey(bytes: Uint8Array): IdentityKey {
    if (bytes.length !== IDENTITY_PRIVATE_KEY_BYTES) throw new CryptoError();
    return new IdentityKey(ed25519PrivateKey(bytes));
  }

  /** The 32-byte private key (the RFC 8032 seed), for SecretStorage only. */
  exportPrivateKey(): Buffer {
    return ed25519Seed(privateKeyOf(this));
  }

  get keyId(): string {
    return keyId(this.publicKey);
  }
}

function privateKeyOf(identity: IdentityKey): Ed25519PrivateKey {
  const key = privateKeys.get(identity);
  if (key === undefined) throw new TypeError('not an identity key of this module');
  return key;
}

/** Signs `label ‖ bytes`: only with the labels of SIGNATURE_LABELS, through the functions below. */
function signLabelled(identity: IdentityKey, label: string, bytes: Uint8Array): Buffer {
  return ed25519Sign(privateKeyOf(identity), labelled(label, bytes));
}

/** A short, stable name for a public key, for display and logs: 8 bytes of SHA-256(label ‖ key), as 16 hex digits. */
export function keyId(publicKey: Uint8Array): string {
  if (publicKey.length !== IDENTITY_PUBLIC_KEY_BYTES) throw new CryptoError();
  return sha256(KEY_ID_LABEL, publicKey).subarray(0, KEY_ID_BYTES).toString('hex');
}

/** What a message signature covers: the label, then every envelope byte before the signature (docs/PROTOCOL.md 8.2). */
export function messageSignatureInput(signedBytes: Uint8Array): Buffer {
  return labelled(SIGNATURE_LABELS.message, signedBytes);
}

export function signEnvelope(identity: IdentityKey, signedBytes: Uint8Array): Buffer {
  return signLabelled(identity, SIGNATURE_LABELS.message, signedBytes);
}

/** Throws the generic CryptoError unless `signature` is `publicKey`'s over messageSignatureInput(signedBytes). */
export function verifyEnvelopeSignature(publicKey: Uint8Array, signedBytes: Uint8Array, signature: Uint8Array): void {
  verifySignature(publicKey, messageSignatureInput(signedBytes), signature);
}

/**
 * The one connection an identity proof is good for: its CPace run (docs/PROTOCOL.md 6.1, 6.2).
 * The nonces alone would not do: a server that relays them between a member and another room's
 * server could pass the member's proof on. It cannot make Ya and Yb equal in both runs too without
 * a scalar it does not know.
 */
export interface ProofContext {
  /** sid = server nonce ‖ client nonce, 64 bytes. */
  readonly sessionId: Uint8Array;
  /** Ya, the client's CPace message. */
  readonly clientMessage: Uint8Array;
  /** Yb, the server's CPace message. */
  readonly serverMessage: Uint8Array;
}

/** The bytes an identity proof signs after its label: sid ‖ Ya ‖ Yb, 128 bytes; null for other lengths. */
export function identityProofInput(context: ProofContext): Buffer | null {
  const { sessionId, clientMessage, serverMessage } = context;
  if (sessionId.length !== 2 * CPACE_NONCE_BYTES || clientMessage.length !== CPACE_ELEMENT_BYTES || serverMessage.length !== CPACE_ELEMENT_BYTES) return null;
  return Buffer.concat([sessionId, clientMessage, serverMessage]);
}

/** Proof that a connection holds the private key of the identity it claims, for this connection only. */
export function proveIdentity(identity: IdentityKey, context: ProofContext): Buffer {
  const input = identityProofInput(context);
  if (input === null) throw new RangeError('an identity proof needs a 64-byte session id and two 32-byte CPace messages');
  return signLabelled(identity, SIGNATURE_LABELS.identityProof, input);
}

export function verifyIdentityProof(publicKey: Uint8Array, context: ProofContext, proof: Uint8Array): void {
  const input = identityProofInput(context);
  if (input === null) throw new CryptoError();
  verifySignature(publicKey, labelled(SIGNATURE_LABELS.identityProof, input), proof);
}

/**
 * Plain Ed25519 verification of `signature` by `publicKey` over `message`, as the published vectors
 * test it; every failure (length, key encoding, small-order key, signature) is the generic CryptoError.
 */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
  if (signature.length !== SIGNATURE_BYTES || !ed25519Verify(publicKeyObject(publicKey), message, signature)) throw new CryptoError();
}

/**
 * Throws the generic CryptoError unless `publicKey` is a canonical encoding of a point of more than
 * small order. OpenSSL verifies against the identity point or a small-order key, for which anyone
 * can make a signature that verifies; no honest key is one, and no such key can be bound to a name.
 */
export function checkPublicKey(publicKey: Uint8Array): void {
  publicKeyObject(publicKey);
}

/**
 * Decoding and checking a public key costs about as much as verifying a signature, and a room has
 * few members, so checked keys are kept, the oldest dropped beyond PUBLIC_KEY_CACHE_LIMIT.
 */
const PUBLIC_KEY_CACHE_LIMIT = 1024;
const checkedKeys = new Map<string, Ed25519PublicKey>();

function publicKeyObject(publicKey: Uint8Array): Ed25519PublicKey {
  if (publicKey.length !== IDENTITY_PUBLIC_KEY_BYTES) throw new CryptoError();
  const name = Buffer.from(publicKey).toString('hex');
  const known = checkedKeys.get(name);
  if (known !== undefined) return known;
  if (!isStrongPoint(publicKey)) throw new CryptoError();
  let key: Ed25519PublicKey;
  try {
    key = ed25519PublicKey(publicKey);
  } catch {
    throw new CryptoError();
  }
  if (checkedKeys.size >= PUBLIC_KEY_CACHE_LIMIT) checkedKeys.delete(checkedKeys.keys().next().value as string);
  checkedKeys.set(name, key);
  return key;
}

/** Canonical (y below p, no negative zero: RFC 8032 5.1.3 strictly) and not of order 1, 2, 4 or 8. */
function isStrongPoint(encoded: Uint8Array): boolean {
  try {
    return !ed25519.Point.fromBytes(encoded, false).isSmallOrder();
  } catch {
    return false;
  }
}

function labelled(label: string, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(label, 'ascii'), bytes]);
}
