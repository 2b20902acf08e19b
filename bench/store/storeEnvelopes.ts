// The envelopes one store run ingests, sealed by the benchmark's process and handed to the store's
// process (storeChild.ts) as one file, so that the store's RSS holds them but not the garbage of
// sealing them. Each is sealed afresh with a distinct id and IV: the large store's rounds ingest
// into the same directory, where a second copy would be a replay.
//
//   file := (u32 BE envelope length | envelope bytes)*
import * as fs from 'fs';
import { RoomKeys, sealMessage } from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { TEXT_BYTES } from './buildStore';

export function writeEnvelopes(file: string, keys: RoomKeys, count: number): void {
  const plaintext = encodeBody({ text: 'x'.repeat(TEXT_BYTES) });
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const { envelope } = sealMessage(keys, { username: 'bench', plaintext, timestamp: Date.now() });
    const length = Buffer.alloc(4);
    length.writeUInt32BE(envelope.length);
    parts.push(length, envelope);
  }
  fs.writeFileSync(file, Buffer.concat(parts), { mode: 0o600 });
}

/** The envelopes of a file written by writeEnvelopes, as views into its bytes. */
export function splitEnvelopes(bytes: Buffer): Buffer[] {
  const envelopes: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    envelopes.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return envelopes;
}
