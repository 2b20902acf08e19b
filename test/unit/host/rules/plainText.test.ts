import * as assert from 'assert';
import { failureNotice, plainText } from '../../../../src/host/rules/plainText';

/** VS Code's own link grammar for notification text (vs/base/common/linkedText.ts). */
const WORKBENCH_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/giu;

describe('plainText (outside text bound for a VS Code notification)', () => {
  const hostile = [
    '[Open Chat](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D) @alice',
    '[a](file:///etc/passwd)',
    '[a](https://evil.example "title")',
    '[[x]](command:a)',
    '[x] (command:a)',
    '[x]\u200b(command:a)',
    '[x]\n(command:a)',
    '[x](\u202ecommand:a)',
    '[x](COMMAND:a)',
  ];

  it('leaves nothing the workbench would turn into a link', () => {
    for (const text of hostile) {
      const shown = plainText(text);
      assert.strictEqual(shown.match(WORKBENCH_LINK), null, `${JSON.stringify(text)} -> ${JSON.stringify(shown)}`);
    }
  });

  it('makes a failure\'s notification of plain words: a thrown message may hold a peer\'s or a server\'s text', () => {
    for (const text of hostile) {
      const shown = failureNotice(new Error(text));
      assert.strictEqual(shown.match(WORKBENCH_LINK), null, `${JSON.stringify(text)} -> ${JSON.stringify(shown)}`);
    }
    assert.strictEqual(failureNotice(new Error('[Open Chat](command:x)')), 'Secure Chat: [Open Chat] (command:x)');
  });

  it('keeps ordinary text as it was and the words of a link readable', () => {
    assert.strictEqual(plainText('Ship it once CI is green (after lunch) [soon]'), 'Ship it once CI is green (after lunch) [soon]');
    assert.strictEqual(plainText('[Open Chat](command:x)'), '[Open Chat] (command:x)');
  });

  it('puts everything on one line without control or format characters', () => {
    assert.strictEqual(plainText('a\n\tb\u0000c\u202ed\u2066e\u200bf'), 'a b c d e f');
  });
});
