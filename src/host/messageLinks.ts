// "Copy Link" and the links it makes (rules/messageLink.ts): a URI of the running VS Code's scheme
// for this extension, naming the current room's address and the message. VS Code hands such a URI,
// opened from anywhere, to the handler registered with vscode.window.registerUriHandler, which
// opens the chat at the message when this window has joined its room (switching to it), and says
// why not otherwise.
import * as vscode from 'vscode';
import { translate } from './l10n';
import { messageLink, parseMessageLink } from './rules/messageLink';
import { plainText } from './rules/plainText';

/** What opening a link needs of the chat panel. */
export interface MessageShower {
  showMessage(id: string): Thenable<void>;
}

export class MessageLinks {
  constructor(
    private readonly extensionId: string,
    private readonly chat: { readonly address: string | undefined; rooms(): readonly { readonly address: string }[]; switchRoom(address: string): void },
  ) {}

  /** A link to the message `id` of the room the chat is in; undefined while it is in none. */
  linkTo(id: string): string | undefined {
    const room = this.chat.address;
    return room === undefined ? undefined : messageLink({ scheme: vscode.env.uriScheme, extensionId: this.extensionId }, room, id);
  }

  /** A link opened: the chat at its message, or a notification that says why not (its words are the link's: plain text only). */
  async open(uri: vscode.Uri, panel: MessageShower): Promise<void> {
    const linked = parseMessageLink(uri, translate);
    if (!linked.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Secure Chat: cannot open the link: {0}.', plainText(linked.problem)));
      return;
    }
    const joined = this.chat.rooms().find((room) => room.address === linked.room);
    if (joined === undefined) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Secure Chat: the link is to a message in the room at {0}, and this window is not in that room. Join it with “Secure Chat: Join a Room” (you need its password), then open the link again.', plainText(linked.room)));
      return;
    }
    if (joined.address !== this.chat.address) this.chat.switchRoom(joined.address);
    await panel.showMessage(linked.id);
  }
}
