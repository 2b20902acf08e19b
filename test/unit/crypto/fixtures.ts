import * as fs from 'fs';
import * as path from 'path';
import { RoomKeys, RoomParams, deriveRoomKeys } from '../../../src/crypto';

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
