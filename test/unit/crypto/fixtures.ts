import * as fs from 'fs';
import * as path from 'path';
import { EpochKeyring, EpochKeys, RoomKeys, RoomParams, deriveRoomKeys, epochKeys, newEpochSecret } from '../../../src/crypto';
import { deriveMasterSecret } from '../../../src/crypto/keys';

/** The repository root, from the compiled test's location (out/test/unit/crypto). */
export const repoRoot = path.resolve(__dirname, '../../../..');

export function readVectors<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/fixtures/vectors', name), 'utf8')) as T;
}

export const hex = (text: string): Buffer => Buffer.from(text, 'hex');

/** A room with a low work factor: the tests exercise the construction, not PBKDF2's cost. */
export function testRoom(fill: number): RoomParams {
  return { roomId: Buffer.alloc(16, fill), kdf: { name: 'pbkdf2-sha256', iterations: 1000, salt: Buffer.alloc(16, fill + 1) } };
}

export function testKeys(password = 'room password', room = testRoom(7)): Promise<RoomKeys> {
  return deriveRoomKeys(password, room);
}

/** Every single-byte change (three masks per byte), every truncation and one extension: each must be refused. */
export function everyTamperOf(envelope: Buffer): { readonly bytes: Buffer; readonly why: string }[] {
  const variants: { bytes: Buffer; why: string }[] = [];
  for (let i = 0; i < envelope.length; i++) {
    for (const mask of [0x01, 0x80, 0xff]) {
      const bytes = Buffer.from(envelope);
      bytes[i] ^= mask;
      variants.push({ bytes, why: `byte ${i} ^ ${mask}` });
    }
  }
  for (let length = 0; length < envelope.length; length++) variants.push({ bytes: envelope.subarray(0, length), why: `truncated to ${length}` });
  variants.push({ bytes: Buffer.concat([envelope, Buffer.alloc(16)]), why: 'extended by a block' });
  return variants;
}

export interface TestEpochs {
  readonly zero: EpochKeys;
  readonly seven: EpochKeys;
  /** Holds epochs 0 and 7 only. */
  readonly keyring: EpochKeyring;
}

/** Epoch 0 of `room` (its PBKDF2 output under "room password") and a random epoch 7. */
export async function testEpochs(room: RoomParams): Promise<TestEpochs> {
  const zero = epochKeys(await deriveMasterSecret('room password', room.kdf), room.roomId, 0);
  const seven = epochKeys(newEpochSecret(), room.roomId, 7);
  const byNumber = new Map<number, RoomKeys>([[0, zero], [7, seven]]);
  return { zero, seven, keyring: (epoch) => byNumber.get(epoch) };
}
