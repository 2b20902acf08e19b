// Room passwords live only in SecretStorage (the OS keychain where there is one), one per server
// address, so a teammate who uses two rooms keeps both.
import * as vscode from 'vscode';

const KEY_PREFIX = 'secureChat.password:';

export class PasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(address: string): Thenable<string | undefined> {
    return this.secrets.get(KEY_PREFIX + address);
  }

  set(address: string, password: string): Thenable<void> {
    return this.secrets.store(KEY_PREFIX + address, password);
  }

  forget(address: string): Thenable<void> {
    return this.secrets.delete(KEY_PREFIX + address);
  }

  /** Asks for the password with a masked input box and stores it; undefined when the user cancels. */
  async prompt(address: string, reason?: string): Promise<string | undefined> {
    const password = await vscode.window.showInputBox({
      title: 'Secure Chat: Room Password',
      prompt: reason ? `${reason} Enter the room password for ${address}.` : `Enter the room password for ${address}.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.length === 0 ? 'The password must not be empty.' : undefined),
    });
    if (password === undefined) return undefined;
    await this.set(address, password);
    return password;
  }
}
