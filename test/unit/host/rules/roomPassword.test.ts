import * as assert from 'assert';
import { confirmationProblem, newRoomPasswordProblem, newRoomPasswordPrompt } from '../../../../src/host/rules/roomPassword';

describe('new room password', () => {
  it('refuses fewer than 12 characters, counting characters and not bytes', () => {
    assert.strictEqual(newRoomPasswordProblem(''), 'The password must not be empty.');
    assert.strictEqual(newRoomPasswordProblem('x'), 'Too short: 1 of at least 12 characters. A few unrelated words are long and easy to say.');
    assert.strictEqual(newRoomPasswordProblem('orbit'), 'Too short: 5 of at least 12 characters. A few unrelated words are long and easy to say.');
    assert.strictEqual(newRoomPasswordProblem('ééééé ùùùùù'), 'Too short: 11 of at least 12 characters. A few unrelated words are long and easy to say.');
    assert.strictEqual(newRoomPasswordProblem('🦊'.repeat(3) + 'abcdefgh'), 'Too short: 11 of at least 12 characters. A few unrelated words are long and easy to say.');
    assert.strictEqual(newRoomPasswordProblem('seven lantern'), null);
    assert.strictEqual(newRoomPasswordProblem('correct horse battery staple'), null);
  });

  it('refuses a long repeated pattern', () => {
    for (const weak of ['aaaaaaaaaaaa', 'abababababababab', 'abcdabcdabcd']) {
      assert.strictEqual(newRoomPasswordProblem(weak), 'Too repetitive: use at least 5 different characters, for example a few unrelated words.', weak);
    }
    assert.strictEqual(newRoomPasswordProblem('abcdeabcdeab'), null);
  });

  it('says the floor and why in the prompt, in one wording', () => {
    const prompt = newRoomPasswordPrompt('ws://127.0.0.1:7777');
    assert.strictEqual(prompt, 'Choose a password for the new room on ws://127.0.0.1:7777: at least 12 characters, because anyone who copies the room\'s messages can try guesses offline. Teammates need it too; tell them separately.');
    assert.doesNotMatch(prompt, /\bEnter\b/u);
  });

  it('accepts the confirmation only when it is the same password', () => {
    assert.strictEqual(confirmationProblem('seven quiet lanterns', 'seven quiet lanterns'), null);
    assert.match(confirmationProblem('seven quiet lanterns', 'seven quiet lantern') ?? '', /^The passwords do not match/u);
  });
});
