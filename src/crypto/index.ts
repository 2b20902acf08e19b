// The crypto layer's public surface: pure functions, bytes in and bytes out, no vscode and no I/O.
// No caller picks an IV, a mode or a key length.
export { CryptoError } from './errors';
export {
  DEFAULT_ITERATIONS, KDF_NAME, MAX_ITERATIONS, ROOM_ID_BYTES, SALT_BYTES,
  checkRoomParams, createRoomParams, deriveMasterSecret, deriveRoomKeys, expandRoomKeys,
} from './keys';
export type { KdfParams, RoomKeys, RoomParams } from './keys';
export { MAX_PLAINTEXT_BYTES, USERNAME_MAX_BYTES } from './limits';
export { UsernameError, isCanonicalUsername, normalizeUsername, usernameKey } from './username';
export { VERIFIER_BYTES, roomVerifier, verifierMatches } from './verifier';
export {
  ENVELOPE_VERSION_SIGNED, MAX_ENVELOPE_BYTES, MAX_ENVELOPE_V2_BYTES, MAX_ENVELOPE_V3_BYTES, MESSAGE_ID_BYTES, MIN_ENVELOPE_BYTES, MIN_ENVELOPE_V2_BYTES,
  MIN_ENVELOPE_V3_BYTES, USERNAME_BLOCK_BYTES,
  openEpochMessage, openMessage, openRoomMessage, openSignedMessage, openUsername, peekEpoch, peekMessageId, sealEpochMessage, sealMessage,
  sealSignedMessage, sealUsername,
} from './envelope';
export type {
  EpochKeyring, MessageToSeal, OpenedEpochMessage, OpenedMessage, OpenedRoomMessage, OpenedSignedMessage, SealedMessage,
} from './envelope';
export {
  IDENTITY_PRIVATE_KEY_BYTES, IDENTITY_PUBLIC_KEY_BYTES, IdentityKey, KEY_ID_BYTES, SIGNATURE_BYTES,
  checkPublicKey, keyId, proveIdentity, verifyIdentityProof,
} from './identity';
export type { ProofContext } from './identity';
export { safetyNumber } from './safetyNumber';
export {
  CONFIRMATION_BYTES, CPACE_ELEMENT_BYTES, CPACE_NONCE_BYTES, respondCpaceServer, startCpaceClient,
} from './cpace';
export type { ChannelKeys, CpaceClient, CpaceContext, CpaceServer } from './cpace';
export {
  EPOCH_SECRET_BYTES, MAX_EPOCH, SEALED_EPOCH_SECRET_BYTES,
  checkEpoch, epochKeys, newEpochSecret, openEpochSecret, sealEpochSecret, storageKeys,
} from './epochs';
export type { EpochKeys } from './epochs';
export type { SecretSealingKeys } from './sealedBox';
export {
  DIRECTORY_KEY_BYTES, SEALED_DIRECTORY_KEY_BYTES, newDirectoryKey, openDirectory, openDirectoryKey, sealDirectory, sealDirectoryKey,
} from './directorySealing';
export { readEnvelopeHeader } from './envelopeHeader';
export type { EnvelopeHeader } from './envelopeHeader';
export {
  SEALED_ROOM_SECRET_BYTES, SERVER_VERIFIER_BYTES, deriveServerKeys, openRoomSecret, sealRoomSecret, serverVerifierMatches,
} from './serverSealing';
export type { ServerKeys } from './serverSealing';
