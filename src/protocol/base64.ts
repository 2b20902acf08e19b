// Strict standard base64 (RFC 4648 section 4, with padding). Node's decoder silently skips bad
// characters, which would let two different strings name the same bytes; the wire accepts only the
// canonical encoding. The check is the round trip: Node's encoder writes only canonical text, so
// any text that is not (a bad or url-safe character, whitespace, missing padding, nonzero unused
// bits) re-encodes differently. It replaced a regular expression that cost more than the decoding.
import * as v from 'valibot';

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** The decoded bytes, or null if the text is not canonical base64 of a length in [minBytes, maxBytes]. */
export function decodeBase64(text: unknown, minBytes: number, maxBytes: number = minBytes): Buffer | null {
  if (typeof text !== 'string' || text.length > Math.ceil(maxBytes / 3) * 4) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < minBytes || bytes.length > maxBytes || bytes.toString('base64') !== text) return null;
  return bytes;
}

/** Schema for a byte field: canonical base64 of [minBytes, maxBytes] bytes, decoded to a Buffer. */
export function base64Bytes(minBytes: number, maxBytes: number = minBytes) {
  const message = minBytes === maxBytes ? `must be ${minBytes} bytes of base64` : `must be ${minBytes}-${maxBytes} bytes of base64`;
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const bytes = decodeBase64(dataset.value, minBytes, maxBytes);
      if (bytes === null) {
        addIssue({ message });
        return NEVER;
      }
      return bytes;
    }),
  );
}
