// A rotation or a password change of a stopped standalone server, run against its data directory
// (`node dist/server.js --data DIR --rotate` or `--change-password`). It holds the directory's lock
// as a running server would, opens the room with the current password (migrating a version-1 room
// file first), reads the store only for its latest seq, and writes room.json once, atomically.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_ITERATIONS } from '../crypto';
import { DEFAULT_LIMITS } from './config';
import { StartError } from './errors';
import { takeDataDir } from './dataDir';
import type { Logger } from './logger';
import { ROOM_FILE, openRoom, startingAt } from './room';
import { EpochChange, RoomSecrets } from './roomSecrets';
import { MessageStore } from './store';

export interface OfflineKeyChange {
  readonly dataDir: string;
  /** The room's current password. */
  readonly password: string;
  /** Set for a password change; a rotation otherwise. */
  readonly newPassword?: string;
  readonly logger: Logger;
}

export async function changeKeysOffline({ dataDir, password, newPassword, logger }: OfflineKeyChange): Promise<EpochChange> {
  if (!fs.existsSync(path.join(dataDir, ROOM_FILE))) throw new StartError('store-corrupt', `${dataDir} holds no room (${ROOM_FILE} is missing)`);
  const unlock = takeDataDir(dataDir);
  try {
    const opened = await openRoom(dataDir, password, DEFAULT_ITERATIONS);
    const store = await MessageStore.open({
      dataDir, segmentMessages: DEFAULT_LIMITS.segmentMessages, segmentBytes: DEFAULT_LIMITS.segmentBytes,
      freshnessMs: DEFAULT_LIMITS.maxClockSkewMs, logger, onFatal: () => undefined,
    });
    const nextSeq = store.latestSeq() + 1;
    await store.close();
    // A version-1 room is migrated by this change: its new epoch starts after the stored history.
    const secrets = new RoomSecrets(startingAt(opened, nextSeq), dataDir, 0);
    const change = newPassword === undefined ? await secrets.rotate('rotate', nextSeq) : await secrets.changePassword(newPassword, nextSeq);
    logger.log('info', 'epoch-started', { epoch: change.epoch.number, reason: change.reason });
    return change;
  } finally {
    unlock();
  }
}
