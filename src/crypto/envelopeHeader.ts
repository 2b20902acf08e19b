// The cleartext header of an envelope, read WITHOUT verifying anything: what a store indexes on
// (message id, IV, sender timestamp, username block) once the server has verified the envelope, and
// what it reads back from envelopes it stored itself. Never a reason to trust the fields.
import { ROOM_ID_BYTES } from './keys';
import { IV_BYTES, MESSAGE_ID_BYTES, USERNAME_BLOCK_BYTES } from './envelopeLayout';
import { ED25519_PUBLIC_KEY_BYTES } from './primitives';

/** The bounds a journal record's envelope must lie within, for readers that enter here only (the store's workers). */
export { MAX_ENVELOPE_V3_BYTES, MIN_ENVELOPE_BYTES } from './envelopeLayout';

export interface EnvelopeHeader {
  readonly version: number;
  readonly roomId: Buffer;
  /** The key epoch the envelope names: 0 for version 1, the u32 after the room id for versions 2 and 3. */
  readonly epoch: number;
  readonly messageId: Buffer;
  /** Sender timestamp, ms since the Unix epoch. */
  readonly timestamp: number;
  readonly usernameBlock: Buffer;
  readonly messageIv: Buffer;
  /** The signer's public key (version 3), null for unsigned versions: who may edit or delete the message. */
  readonly signer: Buffer | null;
}

/** Per version, the bytes between the room id and the message id: the u32 key epoch (2, 3), then the signer's key (3). */
const FIELDS_AFTER_ROOM_ID: Record<number, { readonly extraBytes: number }> = {
  1: { extraBytes: 0 },
  2: { extraBytes: 4 },
  3: { extraBytes: 4 + ED25519_PUBLIC_KEY_BYTES },
};

/**
 * The header fields as views into `envelope` (no copies), or null when the envelope is too short to
 * hold them, names an unknown version, or carries a timestamp beyond JavaScript's safe integers.
 */
export function readEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader | null {
  const version = envelope[0];
  const layout = FIELDS_AFTER_ROOM_ID[version];
  if (layout === undefined) return null;
  const roomId = 1;
  const messageId = roomId + ROOM_ID_BYTES + layout.extraBytes;
  const timestamp = messageId + MESSAGE_ID_BYTES;
  const username = timestamp + 8;
  const messageIv = username + USERNAME_BLOCK_BYTES;
  const end = messageIv + IV_BYTES;
  if (envelope.length < end) return null;
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.length);
  const sentAt = bytes.readBigUInt64BE(timestamp);
  if (sentAt > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return {
    version,
    roomId: bytes.subarray(roomId, roomId + ROOM_ID_BYTES),
    epoch: layout.extraBytes === 0 ? 0 : bytes.readUInt32BE(roomId + ROOM_ID_BYTES),
    messageId: bytes.subarray(messageId, timestamp),
    timestamp: Number(sentAt),
    usernameBlock: bytes.subarray(username, messageIv),
    messageIv: bytes.subarray(messageIv, end),
    signer: version === 3 ? bytes.subarray(messageId - ED25519_PUBLIC_KEY_BYTES, messageId) : null,
  };
}
