// "Secure Chat: Verify Member...": pick a member online (by key), read the safety number of your key
// and theirs, compare it out of band, and mark them verified (or remove the mark). The marks live in
// the room's VerificationBook; the chat stores it and marks the panel's entries and messages again.
import * as vscode from 'vscode';
import type { OnlineMember } from '../client';
import { keyId, safetyNumber } from '../crypto';
import type { ChatController } from './chatController';
import { groupedKeyId, isOwnKey, safetyNumberLines, trustNotice } from './rules/memberIdentity';
import { plainText } from './rules/plainText';
import { translate } from './l10n';

/** A member's name in a quick pick, where "$(name)" would draw an icon: plain words, no icon syntax. */
function pickLabel(name: string): string {
  return plainText(name).replace(/\$\(/gu, '$ (');
}

export class MemberVerifier {
  constructor(private readonly chat: ChatController) {}

  /** The members online one can verify: everyone but oneself. */
  others(): readonly OnlineMember[] {
    const mine = this.chat.identityPublicKey;
    return mine === undefined ? [] : this.chat.members.filter((member) => !isOwnKey(member.key, mine));
  }

  /** The safety number of this installation's key and `member`'s, as `safetyNumber` groups it. */
  safetyNumber(member: OnlineMember): string {
    const mine = this.chat.identityPublicKey;
    if (mine === undefined) throw new Error(vscode.l10n.t('Not connected to a room yet: use “Join a Room” or “Start Server” first.'));
    return safetyNumber(mine, member.key);
  }

  async setVerified(member: OnlineMember, verified: boolean): Promise<void> {
    const book = this.chat.book();
    if (verified) book.verify(member.key, member.name, Date.now());
    else book.unverify(member.key);
    await this.chat.trustChanged();
  }

  /** The command: `id` (a key id, from the panel's "Verify") skips the pick. */
  async run(id?: string): Promise<void> {
    const others = this.others();
    const member = id === undefined ? await this.pick(others) : others.find((other) => keyId(other.key) === id);
    if (member === undefined) {
      if (others.length === 0 || id !== undefined) void vscode.window.showInformationMessage(vscode.l10n.t('Secure Chat: no other member is online to verify. A member can be verified while they are online.'));
      return;
    }
    const verified = this.chat.book().isVerified(member.key);
    const mark = vscode.l10n.t('Mark as Verified');
    const remove = vscode.l10n.t('Remove Verification');
    const name = plainText(member.name);
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Verify {0} ({1})', name, groupedKeyId(keyId(member.key))),
      {
        modal: true,
        detail: [
          vscode.l10n.t('Your safety number with {0}:', name),
          safetyNumberLines(this.safetyNumber(member)),
          vscode.l10n.t('Compare it with the number {0} sees, in person or on a call, never through this chat. Mark {0} as verified only if every digit matches.', name),
        ].join('\n\n'),
      },
      verified ? remove : mark,
    );
    if (choice === mark || choice === remove) await this.setVerified(member, choice === mark);
  }

  private async pick(others: readonly OnlineMember[]): Promise<OnlineMember | undefined> {
    if (others.length === 0) return undefined;
    const book = this.chat.book();
    const items = others.map((member) => {
      const trust = book.trustOf(member.key, member.name);
      const detail = trust.kind === 'verified' ? vscode.l10n.t('Verified') : trustNotice(trust, translate);
      return {
        label: `${trust.kind === 'verified' ? '$(verified) ' : trust.kind === 'key-changed' ? '$(warning) ' : ''}${pickLabel(member.name)}`,
        description: groupedKeyId(keyId(member.key)),
        ...(detail === undefined ? {} : { detail }),
        member,
      };
    });
    const chosen = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Secure Chat: Verify Member'),
      placeHolder: vscode.l10n.t('The member to compare safety numbers with (members online, by key)'),
      matchOnDescription: true,
    });
    return chosen?.member;
  }
}
