// Where a server's named rooms live: rooms/<name>/ under the data directory, each a data directory of
// its own (room.json, members.json, segments, journal, lock) plus room-secret.json, the room's
// secret sealed under the server secret (serverSecret.ts). A room exists once its room.json does:
// creation writes room-secret.json first, room.json last, so a crash between leaves no room.
import * as fs from 'fs';
import * as path from 'path';
import type { ServerKeys } from '../crypto';
import { roomNameProblem } from '../protocol/roomName';
import { takeDataDir } from './dataDir';
import { StartError } from './errors';
import { createDirectory } from './files';
import { ROOM_FILE, openRoom, saveRoom } from './room';
import { saveRoomSecret } from './serverSecret';

export const ROOMS_DIR = 'rooms';

/** The directory of a named room (the name already checked). */
export function namedRoomDir(dataDir: string, name: string): string {
  return path.join(dataDir, ROOMS_DIR, name);
}

export function namedRoomExists(dataDir: string, name: string): boolean {
  return fs.existsSync(path.join(namedRoomDir(dataDir, name), ROOM_FILE));
}

/** The named rooms of a data directory, sorted. */
export function listNamedRooms(dataDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(dataDir, ROOMS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => roomNameProblem(name) === null && namedRoomExists(dataDir, name)).sort();
}

export interface NewNamedRoom {
  readonly dataDir: string;
  readonly name: string;
  /** What members will type; the server keeps only what it derives, sealed under the server keys. */
  readonly password: string;
  readonly serverKeys: ServerKeys;
  readonly iterations: number;
}

/** Creates a named room under its directory's own lock: a running server may create one while serving others. */
export async function createNamedRoom({ dataDir, name, password, serverKeys, iterations }: NewNamedRoom): Promise<void> {
  const problem = roomNameProblem(name);
  if (problem) throw new StartError('bad-request', problem);
  if (namedRoomExists(dataDir, name)) throw new StartError('bad-request', `the room ${name} exists already`);
  createDirectory(path.join(dataDir, ROOMS_DIR));
  const roomDir = namedRoomDir(dataDir, name);
  const unlock = takeDataDir(roomDir);
  try {
    if (namedRoomExists(dataDir, name)) throw new StartError('bad-request', `the room ${name} exists already`);
    const opened = await openRoom(roomDir, password, iterations);
    await saveRoomSecret(roomDir, serverKeys, opened.room.roomId, opened.master);
    await saveRoom(roomDir, opened);
  } finally {
    unlock();
  }
}
