// The crypto layer's public surface: pure functions, bytes in and bytes out, no vscode and no I/O.
// No caller picks an IV, a mode or a key length.
export { CryptoError } from './errors';
export {
  DEFAULT_ITERATIONS, KDF_NAME, MAX_ITERATIONS, ROOM_ID_BYTES, SALT_BYTES,
  checkRoomParams, createRoomParams, deriveRoomKeys,
} from './keys';
export type { KdfParams, RoomKeys, RoomParams } from './keys';
export { USERNAME_MAX_BYTES, UsernameError, normalizeUsername } from './username';
export {
  MAX_ENVELOPE_BYTES, MAX_PLAINTEXT_BYTES, MESSAGE_ID_BYTES, MIN_ENVELOPE_BYTES, USERNAME_BLOCK_BYTES,
  openMessage, openUsername, peekMessageId, sealMessage, sealUsername,
} from './envelope';
export type { MessageToSeal, OpenedMessage, SealedMessage } from './envelope';
export {
  NONCE_BYTES, PROOF_BYTES, clientProof, newNonce, serverProof, verifyClientProof, verifyServerProof,
} from './handshake';
export type { HandshakeTranscript } from './handshake';
export { readEnvelopeHeader } from './envelopeHeader';
export type { EnvelopeHeader } from './envelopeHeader';
