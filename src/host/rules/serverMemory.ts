// Whether this workspace's embedded server was running when VS Code closed (or the window
// reloaded), so that it starts again when VS Code opens: teammates in its room would otherwise wait
// in "Reconnecting..." for a server nothing starts. Only the user's Stop Server makes it forget.
// Not a secret, so it lives in workspace state, beside the last room.
import type { StateStore } from './stateStore';

const KEY = 'secureChat.serverWasRunning';

export class ServerMemory {
  constructor(private readonly state: StateStore) {}

  get wasRunning(): boolean {
    return this.state.get<unknown>(KEY) === true;
  }

  /** The server listens: if VS Code closes now, it starts again next time. */
  started(): Thenable<void> {
    return this.state.update(KEY, true);
  }

  /** The user stopped it: the next start of VS Code leaves it stopped. */
  stopped(): Thenable<void> {
    return this.state.update(KEY, undefined);
  }

  /**
   * Starts the server when it was running at the last close and `restartOnOpen` allows it.
   * `start` resolves whether the server runs. Resolves whether it was started.
   */
  async restore(restartOnOpen: boolean, start: () => Promise<boolean>): Promise<boolean> {
    if (!restartOnOpen || !this.wasRunning) return false;
    return start();
  }
}
