// What the server secret unlocks, at rest. server.json (in the data directory) holds the secret's
// KDF parameters and a verifier, so a start with a wrong secret is refused instead of failing every
// named room; each named room's room-secret.json holds that room's PBKDF2 output sealed under the
// server keys (src/crypto/serverSealing.ts). Neither file opens anything without the secret. The
// default room (the data directory's own room.json) has no such file: it opens with its password.
import * as fs from 'fs';
import * as path from 'path';
import * as v from 'valibot';
import {
  CryptoError, KDF_NAME, MAX_ITERATIONS, ROOM_ID_BYTES, SALT_BYTES, SEALED_ROOM_SECRET_BYTES, SERVER_VERIFIER_BYTES, ServerKeys,
  createRoomParams, deriveServerKeys, openRoomSecret, sealRoomSecret, serverVerifierMatches,
} from '../crypto';
import { base64Bytes, encodeBase64 } from '../protocol/base64';
import { check, integer } from '../protocol/check';
import { StartError } from './errors';
import { writeFileAtomic } from './files';

export const SERVER_FILE = 'server.json';
export const ROOM_SECRET_FILE = 'room-secret.json';

const ServerFileSchema = v.object({
  version: v.literal(1, 'must be 1'),
  kdf: v.object({ name: v.literal(KDF_NAME, `must be "${KDF_NAME}"`), iterations: integer(1, MAX_ITERATIONS), salt: base64Bytes(SALT_BYTES) }, 'must be an object'),
  verifier: base64Bytes(SERVER_VERIFIER_BYTES),
}, 'must be an object');

const RoomSecretFileSchema = v.object({
  version: v.literal(1, 'must be 1'),
  roomId: base64Bytes(ROOM_ID_BYTES),
  secret: base64Bytes(SEALED_ROOM_SECRET_BYTES),
}, 'must be an object');

async function readChecked<S extends v.GenericSchema>(file: string, schema: S, what: string): Promise<v.InferOutput<S>> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  } catch {
    throw new StartError('store-corrupt', `${file} is not a valid ${what} (not JSON); it was left as it is`);
  }
  const checked = check(schema, value);
  if (!checked.ok) throw new StartError('store-corrupt', `${file} is not a valid ${what} (${checked.error}); it was left as it is`);
  return checked.value;
}

function encode(value: object): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/**
 * The server keys from the operator's secret. The first unlock of a data directory (no server.json)
 * makes its KDF parameters and verifier and writes them: that secret is the server's from then on.
 */
export async function unlockServer(dataDir: string, secret: string, newIterations: number): Promise<ServerKeys> {
  const file = path.join(dataDir, SERVER_FILE);
  if (!fs.existsSync(file)) {
    const { kdf } = createRoomParams(newIterations);
    const keys = await deriveServerKeys(secret, kdf);
    const { name, iterations, salt } = kdf;
    await writeFileAtomic(file, encode({ version: 1, kdf: { name, iterations, salt: encodeBase64(salt) }, verifier: encodeBase64(keys.verifier) }));
    return keys;
  }
  const stored = await readChecked(file, ServerFileSchema, 'server file');
  const keys = await deriveServerKeys(secret, stored.kdf);
  if (!serverVerifierMatches(keys, stored.verifier)) throw new StartError('wrong-password', `the server secret does not match the one ${file} was made with; refusing to start`);
  return keys;
}

/** Writes a named room's secret sealed under the server keys (before its room.json: see namedRooms.ts). */
export async function saveRoomSecret(roomDir: string, keys: ServerKeys, roomId: Buffer, master: Buffer): Promise<void> {
  await writeFileAtomic(path.join(roomDir, ROOM_SECRET_FILE), encode({ version: 1, roomId: encodeBase64(roomId), secret: encodeBase64(sealRoomSecret(keys, roomId, master)) }));
}

/** A named room's PBKDF2 output; a file sealed under another secret or for another room is refused. */
export async function openRoomSecretFile(roomDir: string, keys: ServerKeys, roomId: Buffer): Promise<Buffer> {
  const file = path.join(roomDir, ROOM_SECRET_FILE);
  const stored = await readChecked(file, RoomSecretFileSchema, 'room secret file');
  try {
    if (!stored.roomId.equals(roomId)) throw new CryptoError();
    return openRoomSecret(keys, roomId, stored.secret);
  } catch {
    throw new StartError('store-corrupt', `${file} does not open under this server secret for this room; it was left as it is`);
  }
}
