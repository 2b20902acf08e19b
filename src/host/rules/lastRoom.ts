// The server this workspace last joined (Join a Room or Reconnect), so that opening the chat again rejoins it
// without a prompt when its password is in SecretStorage. An address is not a secret, so it lives in
// workspace state. The embedded server is not remembered: it stops with VS Code.
import { addressProblem } from '../../client';

/** The part of vscode.Memento used here. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'secureChat.lastAddress';

export class LastRoom {
  constructor(private readonly state: StateStore) {}

  /** The remembered address, or undefined when there is none or it is not one any more. */
  get address(): string | undefined {
    const value = this.state.get<unknown>(KEY);
    return typeof value === 'string' && addressProblem(value) === null ? value : undefined;
  }

  remember(address: string): Thenable<void> {
    return this.state.update(KEY, address);
  }

  /**
   * Rejoins the remembered server when its password is stored; never prompts at start-up, so a
   * forgotten password waits for the user's next Connect. Resolves with the address it joined.
   */
  async rejoin(password: (address: string) => Thenable<string | undefined>, connect: (address: string) => Promise<boolean>): Promise<string | undefined> {
    const address = this.address;
    if (!address || !(await password(address))) return undefined;
    return (await connect(address)) ? address : undefined;
  }

  /** After an explicit Disconnect: the user chose to be offline, so the next start stays offline. */
  forget(): Thenable<void> {
    return this.state.update(KEY, undefined);
  }
}
