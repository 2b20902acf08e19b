// Room passwords live only in SecretStorage (the OS keychain where there is one), one per server
// address, so a teammate who uses two rooms keeps both. Asking for one has two wordings: "Enter" the
// password of a room that exists, "Choose" (twice, meeting the floor) the password of a new one.
import * as vscode from 'vscode';
import { askText } from './inputs';
import { translate } from './l10n';
import { confirmationProblem, newRoomPasswordProblem, newRoomPasswordPrompt } from './rules/roomPassword';

/** Read when asked: vscode.l10n is ready once the extension is activated. */
const placeholder = (): string => vscode.l10n.t('Room password (hidden as you type)');

const KEY_PREFIX = 'secureChat.password:';

export interface PasswordQuestion {
  /** Said before the question, e.g. "The last password was not accepted." */
  readonly reason?: string;
  /** The box's title when it is not the default "Secure Chat: Room Password". */
  readonly title?: string;
  /** When the password is the last step of a longer question (address, then password). */
  readonly step?: { readonly step: number; readonly of: number };
}

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

  /** Asks for the password of a room that exists and stores it; undefined when the user cancels. */
  async prompt(address: string, question: PasswordQuestion = {}): Promise<string | undefined> {
    const ask = vscode.l10n.t('Enter the room password for {0}.', address);
    const password = await askText({
      title: question.title ?? vscode.l10n.t('Secure Chat: Room Password'),
      step: question.step,
      prompt: question.reason ? `${question.reason} ${ask}` : ask,
      placeholder: placeholder(),
      password: true,
      validate: (value) => (value.length === 0 ? vscode.l10n.t('The password must not be empty.') : null),
    });
    return this.keep(address, password);
  }

  /**
   * Asks for a new room's password: once against the floor, once more to confirm it (a typo would
   * lock teammates out of a room whose password no one knows). Stores it; undefined when cancelled.
   */
  async choose(address: string): Promise<string | undefined> {
    return this.keep(address, await askNewPassword(vscode.l10n.t('Secure Chat: New Room Password'), newRoomPasswordPrompt(address, translate)));
  }

  private async keep(address: string, password: string | undefined): Promise<string | undefined> {
    if (password !== undefined) await this.set(address, password);
    return password;
  }
}

/**
 * A new password for a room (created, or changed): asked once against the floor, then once more to
 * confirm it. Undefined when cancelled; stored by the caller once the server has taken it.
 */
export async function askNewPassword(title: string, prompt: string): Promise<string | undefined> {
  const first = await askText({
    title, step: { step: 1, of: 2 }, prompt, placeholder: placeholder(), password: true,
    validate: (value) => newRoomPasswordProblem(value, translate),
  });
  if (first === undefined) return undefined;
  return askText({
    title, step: { step: 2, of: 2 }, prompt: vscode.l10n.t('Type the password you chose once more, to confirm it.'), placeholder: placeholder(), password: true,
    check: (value) => confirmationProblem(first, value, translate),
  });
}
