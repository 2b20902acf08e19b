// The envelope's sizes and byte offsets per version, and nothing that computes: the one home of the
// layout docs/PROTOCOL.md describes. Kept apart from envelope.ts so that readers of stored envelopes
// that verify nothing (envelopeHeader.ts, the store's worker threads) load no signature code: that
// code pulls in @noble/curves, an ES module a worker should not have to load.
import { ROOM_ID_BYTES } from './keys';
import { MAX_PLAINTEXT_BYTES, USERNAME_MAX_BYTES } from './limits';
import { AES_BLOCK_BYTES, ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, SHA256_BYTES } from './primitives';

export const ENVELOPE_VERSION = 1;
export const ENVELOPE_VERSION_EPOCHS = 2;
export const ENVELOPE_VERSION_SIGNED = 3;
export const MESSAGE_ID_BYTES = 16;
export const IV_BYTES = AES_BLOCK_BYTES;
export const EPOCH_BYTES = 4;
/** Encrypted username as it travels: its own IV, then one AES block. */
export const USERNAME_BLOCK_BYTES = IV_BYTES + USERNAME_MAX_BYTES;
export const MAX_CIPHERTEXT_BYTES = (Math.floor(MAX_PLAINTEXT_BYTES / AES_BLOCK_BYTES) + 1) * AES_BLOCK_BYTES;

/**
 * Byte offsets of the envelope fields; `epoch` is empty (equal to `signer`) in version 1 and
 * `signer` (equal to `messageId`) before version 3, whose signature sits between ciphertext and tag.
 */
function layoutWith(epochBytes: number, signerBytes = 0) {
  const signer = 1 + ROOM_ID_BYTES + epochBytes;
  const messageId = signer + signerBytes;
  return {
    version: 0,
    roomId: 1,
    epoch: 1 + ROOM_ID_BYTES,
    signer,
    messageId,
    timestamp: messageId + MESSAGE_ID_BYTES,
    username: messageId + MESSAGE_ID_BYTES + 8,
    messageIv: messageId + MESSAGE_ID_BYTES + 8 + USERNAME_BLOCK_BYTES,
    ciphertext: messageId + MESSAGE_ID_BYTES + 8 + USERNAME_BLOCK_BYTES + IV_BYTES,
    signatureBytes: signerBytes === 0 ? 0 : ED25519_SIGNATURE_BYTES,
  } as const;
}
export type Layout = ReturnType<typeof layoutWith>;

/** Version 1 offsets. */
export const LAYOUT = layoutWith(0);
/** Version 2 offsets: the u32 epoch number after the room id. */
export const LAYOUT_V2 = layoutWith(EPOCH_BYTES);
/** Version 3 offsets: the signer's 32-byte public key after the epoch; the 64-byte signature before the tag. */
export const LAYOUT_V3 = layoutWith(EPOCH_BYTES, ED25519_PUBLIC_KEY_BYTES);
export const MIN_ENVELOPE_BYTES = LAYOUT.ciphertext + AES_BLOCK_BYTES + SHA256_BYTES;
export const MAX_ENVELOPE_BYTES = LAYOUT.ciphertext + MAX_CIPHERTEXT_BYTES + SHA256_BYTES;
export const MIN_ENVELOPE_V2_BYTES = MIN_ENVELOPE_BYTES + EPOCH_BYTES;
export const MAX_ENVELOPE_V2_BYTES = MAX_ENVELOPE_BYTES + EPOCH_BYTES;
export const MIN_ENVELOPE_V3_BYTES = MIN_ENVELOPE_V2_BYTES + ED25519_PUBLIC_KEY_BYTES + ED25519_SIGNATURE_BYTES;
export const MAX_ENVELOPE_V3_BYTES = MAX_ENVELOPE_V2_BYTES + ED25519_PUBLIC_KEY_BYTES + ED25519_SIGNATURE_BYTES;

/** Where the layout of each version differs; the byte at offset 0 says which applies. */
export const UNSIGNED_FORMATS = new Map<number, Layout>([[ENVELOPE_VERSION, LAYOUT], [ENVELOPE_VERSION_EPOCHS, LAYOUT_V2]]);
export const FORMATS = new Map<number, Layout>([...UNSIGNED_FORMATS, [ENVELOPE_VERSION_SIGNED, LAYOUT_V3]]);
