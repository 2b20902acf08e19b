// The outbox as the extension keeps it across a restart (workspace state): sealed envelopes with
// the id the panel knows each by, never plaintext. Checked when read back like any other input:
// storage can be edited, truncated or written by an older version.
import { MAX_ENVELOPE_V3_BYTES, MIN_ENVELOPE_BYTES } from '../crypto';
import * as v from 'valibot';
import { base64Bytes, encodeBase64 } from './base64';
import { Checked, check, integer, list, textWhere } from './check';

/** As many as a client's outbox holds by default. */
export const MAX_STORED_OUTBOX = 1000;

const StoredOutboxSchema = v.object({
  version: v.literal(1, 'must be 1'),
  entries: list(v.object({
    localId: textWhere((id) => /^[0-9a-f]{1,64}$/u.test(id), 'must be 1-64 lowercase hex digits'),
    envelope: base64Bytes(MIN_ENVELOPE_BYTES, MAX_ENVELOPE_V3_BYTES),
    storedAfter: integer(0),
  }, 'must be an object'), MAX_STORED_OUTBOX),
}, 'must be an object');

export interface StoredOutboxEntry {
  readonly localId: string;
  readonly envelope: Buffer;
  readonly storedAfter: number;
}

export function parseStoredOutbox(value: unknown): Checked<readonly StoredOutboxEntry[]> {
  const checked = check(StoredOutboxSchema, value);
  return checked.ok ? { ok: true, value: checked.value.entries } : checked;
}

/** The JSON-safe value parseStoredOutbox reads back. */
export function encodeStoredOutbox(entries: readonly StoredOutboxEntry[]): unknown {
  return { version: 1, entries: entries.map(({ localId, envelope, storedAfter }) => ({ localId, envelope: encodeBase64(envelope), storedAfter })) };
}
