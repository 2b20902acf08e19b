// `node dist/server.js rooms create <name>` and `rooms list`: the operator's side of named rooms.
// Creating needs the server secret (the room's secret is kept sealed under it) and the room's
// password (what members will type); the server may be running, since each room has its own lock.
import { DEFAULT_ITERATIONS } from '../crypto';
import type { RoomsCommand } from './cli';
import { SERVER_SECRET_ENV } from './cli';
import { createDirectory } from './files';
import { createNamedRoom, listNamedRooms } from './namedRooms';
import { readPassword, readRoomPassword } from './password';
import { unlockServer } from './serverSecret';

/** Runs the command; `print` gets stdout's lines (a room's path once it is made, or each name). */
export async function runRoomsCommand(command: RoomsCommand, dataDir: string, print: (line: string) => void): Promise<void> {
  if (command.action === 'list') {
    for (const name of listNamedRooms(dataDir)) print(name);
    return;
  }
  const secret = await readPassword(SERVER_SECRET_ENV, 'Server secret: ');
  const password = await readRoomPassword();
  createDirectory(dataDir);
  const serverKeys = await unlockServer(dataDir, secret, DEFAULT_ITERATIONS);
  await createNamedRoom({ dataDir, name: command.name, password, serverKeys, iterations: DEFAULT_ITERATIONS });
  print(`/${command.name}`);
}
