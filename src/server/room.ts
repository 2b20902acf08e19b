// The room a data directory serves: created on first start, then loaded. room.json holds public
// parameters only (id, salt, work factor) plus the room verifier (src/crypto/verifier.ts), which lets
// a restart tell a wrong password from a right one without storing anything that reveals the keys.
import * as fs from 'fs';
import * as path from 'path';
import {
  KDF_NAME, ROOM_ID_BYTES, RoomKeys, RoomParams, SALT_BYTES, VERIFIER_BYTES, checkRoomParams, createRoomParams, deriveRoomKeys,
  roomVerifier, verifierMatches,
} from '../crypto';
import * as v from 'valibot';
import { base64Bytes, encodeBase64 } from '../protocol/base64';
import { check } from '../protocol/check';
import { StartError } from './errors';
import { writeFileAtomic } from './files';
import { holdsMessages } from './store';

export const ROOM_FILE = 'room.json';

export interface LoadedRoom {
  readonly room: RoomParams;
  readonly keys: RoomKeys;
}

const RoomFileSchema = v.object({
  version: v.literal(1, 'must be 1'),
  roomId: base64Bytes(ROOM_ID_BYTES),
  // The work factor's range is checkRoomParams's to judge, below.
  kdf: v.object({ name: v.literal(KDF_NAME, `must be "${KDF_NAME}"`), iterations: v.number('must be a number'), salt: base64Bytes(SALT_BYTES) }, 'must be an object'),
  verifier: base64Bytes(VERIFIER_BYTES),
});

function parseRoomFile(file: string, text: string): { room: RoomParams; verifier: Buffer } {
  const corrupt = (why: string) => new StartError('store-corrupt', `${file} is not a valid room file (${why}); it was left as it is`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt('not JSON');
  }
  const checked = check(RoomFileSchema, value);
  if (!checked.ok) throw corrupt(checked.error);
  const { roomId, kdf, verifier } = checked.value;
  const room: RoomParams = { roomId, kdf };
  // The room's own file may use a lower work factor than new rooms get (tests create such rooms).
  const problem = checkRoomParams(room, 1);
  if (problem) throw corrupt(problem);
  return { room, verifier };
}

function encodeRoomFile(room: RoomParams, keys: RoomKeys): string {
  return `${JSON.stringify({
    version: 1,
    roomId: encodeBase64(room.roomId),
    kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: encodeBase64(room.kdf.salt) },
    verifier: encodeBase64(roomVerifier(keys)),
  }, null, 2)}\n`;
}

/**
 * Loads the room and derives its keys, refusing a wrong password. With no room file it makes new
 * room parameters but does not write them: `saveNewRoom` does, once the server is listening, so a
 * start that fails (port in use) leaves no room whose password the next start would have to match.
 */
export async function openRoom(dataDir: string, password: string, newRoomIterations: number): Promise<LoadedRoom & { created: boolean }> {
  const file = path.join(dataDir, ROOM_FILE);
  if (!fs.existsSync(file)) {
    // Messages without their room file are sealed under a room this start would not recreate:
    // making a new room here would leave them unreadable and mix two rooms in one store.
    if (holdsMessages(dataDir)) {
      throw new StartError('store-corrupt', `${file} is missing but ${dataDir} holds messages of a room; refusing to create a new room over them. Restore ${ROOM_FILE}, or start with an empty data directory.`);
    }
    const room = createRoomParams(newRoomIterations);
    return { room, keys: await deriveRoomKeys(password, room), created: true };
  }
  const stored = parseRoomFile(file, await fs.promises.readFile(file, 'utf8'));
  const keys = await deriveRoomKeys(password, stored.room);
  if (!verifierMatches(keys, stored.verifier)) {
    throw new StartError('wrong-password', `the password does not match the room stored in ${file}; refusing to start`);
  }
  return { room: stored.room, keys, created: false };
}

/** Writes the room file of a room `openRoom` created. */
export async function saveNewRoom(dataDir: string, { room, keys }: LoadedRoom): Promise<void> {
  await writeFileAtomic(path.join(dataDir, ROOM_FILE), Buffer.from(encodeRoomFile(room, keys), 'utf8'));
}
