// The room a data directory serves: created on first start, then loaded. room.json (version 2) holds
// the public parameters (id, salt, work factor), the room verifier (src/crypto/verifier.ts), which
// lets a restart tell a wrong password from a right one, and every key epoch's secret sealed under
// keys from the PBKDF2 output (storageKeys), which is never stored, as is the key of the member
// directory (members.json, storedDirectory.ts). Nothing in it opens anything without the password. A version-1 room file (no epochs) is migrated on the first start with the
// right password: its password-derived keys become epoch 0, so its history stays readable. A
// version-2 file from before the directory key gets one on its first start.
import * as fs from 'fs';
import * as path from 'path';
import {
  KDF_NAME, MAX_EPOCH, ROOM_ID_BYTES, RoomParams, SALT_BYTES, SEALED_DIRECTORY_KEY_BYTES, SEALED_EPOCH_SECRET_BYTES, VERIFIER_BYTES,
  checkRoomParams, createRoomParams, deriveMasterSecret, expandRoomKeys, newDirectoryKey, newEpochSecret, openDirectoryKey,
  openEpochSecret, roomVerifier, sealDirectoryKey, sealEpochSecret, storageKeys, verifierMatches,
} from '../crypto';
import * as v from 'valibot';
import { base64Bytes, encodeBase64 } from '../protocol/base64';
import { check, integer, list } from '../protocol/check';
import { StartError } from './errors';
import { writeFileAtomic } from './files';
import { holdsMessages } from './store';

export const ROOM_FILE = 'room.json';
/** Epochs one room file may list: one a week for longer than anyone will keep a room. */
export const MAX_EPOCHS = 100_000;

/** One key epoch as the server holds it in memory. */
export interface EpochRecord {
  readonly number: number;
  /** When it began, ms since the Unix epoch: the age rule counts from here. */
  readonly createdAt: number;
  /** The first seq stored while it was current: the message-count rule counts from here. */
  readonly firstSeq: number;
  readonly secret: Buffer;
}

/** What the server knows of its room while it runs. `master` (the PBKDF2 output) lives in memory only. */
export interface LoadedRoom {
  readonly room: RoomParams;
  readonly master: Buffer;
  readonly epochs: readonly EpochRecord[];
  readonly current: number;
  /** The key members.json is sealed under: random, kept in room.json sealed like an epoch secret. */
  readonly directoryKey: Buffer;
}

const KdfSchema = v.object({
  name: v.literal(KDF_NAME, `must be "${KDF_NAME}"`),
  // The work factor's range is checkRoomParams's to judge, below.
  iterations: v.number('must be a number'),
  salt: base64Bytes(SALT_BYTES),
}, 'must be an object');

const RoomFileSchema = v.variant('version', [
  v.object({ version: v.literal(1), roomId: base64Bytes(ROOM_ID_BYTES), kdf: KdfSchema, verifier: base64Bytes(VERIFIER_BYTES) }),
  v.object({
    version: v.literal(2),
    roomId: base64Bytes(ROOM_ID_BYTES),
    kdf: KdfSchema,
    verifier: base64Bytes(VERIFIER_BYTES),
    current: integer(0, MAX_EPOCH),
    epochs: list(v.object({
      number: integer(0, MAX_EPOCH), createdAt: integer(0), firstSeq: integer(1), secret: base64Bytes(SEALED_EPOCH_SECRET_BYTES),
    }, 'must be an object'), MAX_EPOCHS),
    // Absent in files written before the member directory was kept: a start adds it.
    directoryKey: v.optional(base64Bytes(SEALED_DIRECTORY_KEY_BYTES)),
  }),
], 'must be 1 or 2');
type RoomFile = v.InferOutput<typeof RoomFileSchema>;

function parseRoomFile(file: string, text: string): RoomFile & { room: RoomParams } {
  const corrupt = (why: string) => new StartError('store-corrupt', `${file} is not a valid room file (${why}); it was left as it is`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt('not JSON');
  }
  const checked = check(RoomFileSchema, value);
  if (!checked.ok) throw corrupt(checked.error);
  const room: RoomParams = { roomId: checked.value.roomId, kdf: checked.value.kdf };
  // The room's own file may use a lower work factor than new rooms get (tests create such rooms).
  const problem = checkRoomParams(room, 1);
  if (problem) throw corrupt(problem);
  if (checked.value.version === 2) {
    const numbers = checked.value.epochs.map((epoch) => epoch.number);
    const ascending = numbers.every((number, i) => i === 0 || number > numbers[i - 1]);
    if (!ascending || numbers.at(-1) !== checked.value.current) throw corrupt('its epochs must ascend and end with the current one');
  }
  return { ...checked.value, room };
}

function encodeRoomFile(loaded: LoadedRoom): string {
  const { room, master } = loaded;
  const sealing = storageKeys(master, room.roomId);
  return `${JSON.stringify({
    version: 2,
    roomId: encodeBase64(room.roomId),
    kdf: { name: room.kdf.name, iterations: room.kdf.iterations, salt: encodeBase64(room.kdf.salt) },
    verifier: encodeBase64(roomVerifier(expandRoomKeys(master, room.roomId))),
    current: loaded.current,
    epochs: loaded.epochs.map((epoch) => ({
      number: epoch.number, createdAt: epoch.createdAt, firstSeq: epoch.firstSeq,
      secret: encodeBase64(sealEpochSecret(sealing, room.roomId, epoch.number, epoch.secret)),
    })),
    directoryKey: encodeBase64(sealDirectoryKey(sealing, room.roomId, loaded.directoryKey)),
  }, null, 2)}\n`;
}

/** A fresh random epoch, current from now on. */
export function newEpoch(number: number, firstSeq: number, now = Date.now()): EpochRecord {
  return { number, createdAt: now, firstSeq, secret: newEpochSecret() };
}

/**
 * What `openRoom` found: `save` says the room file must be (re)written (a new room, a version-1 file,
 * or one without a directory key); `newEpoch`, that its current epoch begins with this start.
 */
export interface OpenedRoom extends LoadedRoom {
  readonly created: boolean;
  readonly save: boolean;
  readonly newEpoch: boolean;
}

/**
 * Loads the room, refusing a wrong password, and opens its epoch secrets. With no room file it makes
 * a new room (epoch 1) but does not write it: `saveRoom` does, once the server is listening, so a
 * start that fails (port in use) leaves no room whose password the next start would have to match.
 * A version-1 file is migrated the same way: epoch 0 is its password-derived key, epoch 1 is new.
 * A new epoch's firstSeq is 1 here; the server moves it past the store's latest seq once it is open.
 */
export async function openRoom(dataDir: string, password: string, newRoomIterations: number): Promise<OpenedRoom> {
  const file = path.join(dataDir, ROOM_FILE);
  if (!fs.existsSync(file)) {
    // Messages without their room file are sealed under a room this start would not recreate:
    // making a new room here would leave them unreadable and mix two rooms in one store.
    if (holdsMessages(dataDir)) {
      throw new StartError('store-corrupt', `${file} is missing but ${dataDir} holds messages of a room; refusing to create a new room over them. Restore ${ROOM_FILE}, or start with an empty data directory.`);
    }
    const room = createRoomParams(newRoomIterations);
    const master = await deriveMasterSecret(password, room.kdf);
    return { room, master, epochs: [newEpoch(1, 1)], current: 1, directoryKey: newDirectoryKey(), created: true, save: true, newEpoch: true };
  }
  const stored = parseRoomFile(file, await fs.promises.readFile(file, 'utf8'));
  return openStored(file, stored, await deriveMasterSecret(password, stored.room.kdf));
}

/**
 * Loads a room that exists from its PBKDF2 output instead of its password: a named room, whose
 * output the server secret unlocks (roomKeys.ts). A version-1 file is migrated as by openRoom.
 */
export async function openRoomWithSecret(dataDir: string, master: Buffer): Promise<OpenedRoom> {
  const file = path.join(dataDir, ROOM_FILE);
  return openStored(file, parseRoomFile(file, await fs.promises.readFile(file, 'utf8')), master);
}

/** The room id a room file names, read without any secret (to find its sealed secret). */
export async function readRoomId(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, ROOM_FILE);
  return parseRoomFile(file, await fs.promises.readFile(file, 'utf8')).room.roomId;
}

function openStored(file: string, stored: ReturnType<typeof parseRoomFile>, master: Buffer): OpenedRoom {
  if (!verifierMatches(expandRoomKeys(master, stored.room.roomId), stored.verifier)) {
    throw new StartError('wrong-password', `the password does not match the room stored in ${file}; refusing to start`);
  }
  if (stored.version === 1) {
    // Today's keys are epoch 0's: every stored version-1 envelope opens under them.
    const epochs = [{ number: 0, createdAt: 0, firstSeq: 1, secret: Buffer.from(master) }, newEpoch(1, 1)];
    return { room: stored.room, master, epochs, current: 1, directoryKey: newDirectoryKey(), created: false, save: true, newEpoch: true };
  }
  const sealing = storageKeys(master, stored.room.roomId);
  let epochs: EpochRecord[];
  let directoryKey: Buffer | undefined;
  try {
    epochs = stored.epochs.map((epoch) => ({
      number: epoch.number, createdAt: epoch.createdAt, firstSeq: epoch.firstSeq,
      secret: openEpochSecret(sealing, stored.room.roomId, epoch.number, epoch.secret),
    }));
    if (stored.directoryKey) directoryKey = openDirectoryKey(sealing, stored.room.roomId, stored.directoryKey);
  } catch {
    throw new StartError('store-corrupt', `${file} holds a secret that does not open under this room's password; it was left as it is`);
  }
  const save = directoryKey === undefined;
  return { room: stored.room, master, epochs, current: stored.current, directoryKey: directoryKey ?? newDirectoryKey(), created: false, save, newEpoch: false };
}

/** The room as opened, with a new epoch (of a new or migrated room) starting at `nextSeq`, after the stored history. */
export function startingAt(opened: OpenedRoom, nextSeq: number): LoadedRoom {
  if (!opened.newEpoch) return opened;
  return { ...opened, epochs: opened.epochs.map((epoch) => (epoch.number === opened.current ? { ...epoch, firstSeq: nextSeq } : epoch)) };
}

/** Writes the room file (version 2) atomically: an interrupted write leaves the previous file whole. */
export async function saveRoom(dataDir: string, loaded: LoadedRoom): Promise<void> {
  await writeFileAtomic(path.join(dataDir, ROOM_FILE), Buffer.from(encodeRoomFile(loaded), 'utf8'));
}

/** New room parameters for a password change: the same room and work factor, a fresh salt. */
export function withFreshSalt(room: RoomParams): RoomParams {
  return { roomId: room.roomId, kdf: { ...room.kdf, salt: createRoomParams(room.kdf.iterations).kdf.salt } };
}
