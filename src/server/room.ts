// The room a data directory serves: created on first start, then loaded. room.json holds public
// parameters only (id, salt, work factor) plus a verifier, HMAC(handshakeAuth, label), which lets a
// restart tell a wrong password from a right one without storing anything that reveals the keys.
import * as fs from 'fs';
import * as path from 'path';
import { KDF_NAME, RoomKeys, RoomParams, checkRoomParams, createRoomParams, deriveRoomKeys } from '../crypto';
import { constantTimeEqual, hmacSha256 } from '../crypto/primitives';
import { decodeBase64, encodeBase64 } from '../protocol/base64';
import { StartError } from './errors';
import { writeFileAtomic } from './files';
import { listSegments } from './journal';
import { SNAPSHOT_FILE } from './store';

export const ROOM_FILE = 'room.json';
const VERIFIER_LABEL = Buffer.from('secure-chat v1 verifier', 'ascii');
const VERIFIER_BYTES = 32;

export interface LoadedRoom {
  readonly room: RoomParams;
  readonly keys: RoomKeys;
}

function verifier(keys: RoomKeys): Buffer {
  return hmacSha256(keys.handshakeAuth, VERIFIER_LABEL);
}

interface RoomFile {
  readonly room: RoomParams;
  readonly verifier: Buffer;
}

function parseRoomFile(file: string, text: string): RoomFile {
  const corrupt = (why: string) => new StartError('store-corrupt', `${file} is not a valid room file (${why}); it was left as it is`);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw corrupt('not JSON');
  }
  const kdf = (value?.kdf ?? {}) as Record<string, unknown>;
  const roomId = decodeBase64(value?.roomId, 16);
  const salt = decodeBase64(kdf.salt, 16);
  const check = decodeBase64(value?.verifier, VERIFIER_BYTES);
  if (value?.version !== 1 || !roomId || !salt || !check || kdf.name !== KDF_NAME || typeof kdf.iterations !== 'number') {
    throw corrupt('missing or malformed fields');
  }
  const room: RoomParams = { roomId, kdf: { name: KDF_NAME, iterations: kdf.iterations, salt } };
  // The room's own file may use a lower work factor than new rooms get (tests create such rooms).
  const problem = checkRoomParams(room, 1);
  if (problem) throw corrupt(problem);
  return { room, verifier: check };
}

function encodeRoomFile(room: RoomParams, keys: RoomKeys): string {
  return `${JSON.stringify({
    version: 1,
    roomId: encodeBase64(room.roomId),
    kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: encodeBase64(room.kdf.salt) },
    verifier: encodeBase64(verifier(keys)),
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
    if (fs.existsSync(path.join(dataDir, SNAPSHOT_FILE)) || listSegments(dataDir).length > 0) {
      throw new StartError('store-corrupt', `${file} is missing but ${dataDir} holds messages of a room; refusing to create a new room over them. Restore ${ROOM_FILE}, or start with an empty data directory.`);
    }
    const room = createRoomParams(newRoomIterations);
    return { room, keys: await deriveRoomKeys(password, room), created: true };
  }
  const stored = parseRoomFile(file, await fs.promises.readFile(file, 'utf8'));
  const keys = await deriveRoomKeys(password, stored.room);
  if (!constantTimeEqual(verifier(keys), stored.verifier)) {
    throw new StartError('wrong-password', `the password does not match the room stored in ${file}; refusing to start`);
  }
  return { room: stored.room, keys, created: false };
}

/** Writes the room file of a room `openRoom` created. */
export async function saveNewRoom(dataDir: string, { room, keys }: LoadedRoom): Promise<void> {
  await writeFileAtomic(path.join(dataDir, ROOM_FILE), Buffer.from(encodeRoomFile(room, keys), 'utf8'));
}
