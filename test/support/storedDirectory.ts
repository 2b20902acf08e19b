// What a data directory's members.json holds, read the way a start reads it (room.json's directory
// key, opened with the password): the tests' view of what the server made durable.
import * as fs from 'fs';
import * as path from 'path';
import { openDirectory } from '../../src/crypto';
import type { DirectorySnapshot } from '../../src/server/memberDirectory';
import { openRoom } from '../../src/server/room';
import { DIRECTORY_FILE } from '../../src/server/storedDirectory';
import { TEST_ITERATIONS } from './testServer';

/** Public key (base64) → the names it holds, oldest first. */
export async function storedBindings(dataDir: string, password: string): Promise<Map<string, readonly string[]>> {
  const { directoryKey, room } = await openRoom(dataDir, password, TEST_ITERATIONS);
  const { sealed } = JSON.parse(fs.readFileSync(path.join(dataDir, DIRECTORY_FILE), 'utf8')) as { sealed: string };
  const snapshot = JSON.parse(openDirectory(directoryKey, room.roomId, Buffer.from(sealed, 'base64')).toString('utf8')) as DirectorySnapshot;
  return new Map(snapshot.members.map((member) => [member.key, member.names]));
}
