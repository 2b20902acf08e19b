// The embedded server's server secret (docs/SECURITY.md, rooms): a random one per data directory,
// made on first use and kept only in SecretStorage, handed to the server over IPC at start. It
// unlocks the named rooms "Create Room..." makes; members type only each room's own password.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type * as vscode from 'vscode';

const KEY_PREFIX = 'secureChat.serverSecret:';
/** The server's record of its secret (src/server/serverSecret.ts): once written, only that secret starts it. */
const SERVER_FILE = 'server.json';

export class ServerSecrets {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * The secret for `dataDir`, made when the directory has none yet. Undefined when the directory was
   * unlocked by a secret this computer does not hold (copied from elsewhere): the server then starts
   * with its default room only, rather than not at all.
   */
  async forDataDir(dataDir: string): Promise<string | undefined> {
    const key = KEY_PREFIX + dataDir;
    const stored = await this.secrets.get(key);
    if (stored !== undefined || fs.existsSync(path.join(dataDir, SERVER_FILE))) return stored;
    const made = randomBytes(32).toString('base64url');
    await this.secrets.store(key, made);
    return made;
  }
}
