import * as assert from 'assert';
import { notificationText, shouldNotify } from '../../../../src/host/rules/notifyRule';

describe('notification rule', () => {
  it('never for own messages or while the room is in view; mentions by default; names the room', () => {
    const fromBob = { text: 'hey @alice, look', own: false };
    assert.strictEqual(shouldNotify('mentions', fromBob, 'alice', false), true);
    assert.strictEqual(shouldNotify('mentions', { text: 'hey all', own: false }, 'alice', false), false);
    assert.strictEqual(shouldNotify('all', { text: 'hey all', own: false }, 'alice', false), true);
    assert.strictEqual(shouldNotify('all', fromBob, 'alice', true), false);
    assert.strictEqual(shouldNotify('off', fromBob, 'alice', false), false);
    assert.strictEqual(shouldNotify('all', { ...fromBob, own: true }, 'alice', false), false);
    assert.strictEqual(notificationText('bob', 'design', 'a\n  b', 120), 'bob in design: a b');
    assert.strictEqual(notificationText('bob', 'design', 'x'.repeat(200), 10), `bob in design: ${'x'.repeat(9)}…`);
  });

  it('shows a message\'s link syntax as plain words, also one cut at the length limit', () => {
    assert.strictEqual(notificationText('bob', 'design', '[Open Chat](command:workbench.action.terminal.sendSequence) @alice'),
      'bob in design: [Open Chat] (command:workbench.action.terminal.sendSequence) @alice');
    assert.strictEqual(notificationText('[a](file:/x)', 'design', 'hi'), '[a] (file:/x) in design: hi');
    assert.strictEqual(notificationText('bob', '[a](file:/x)\n', 'hi'), 'bob in [a] (file:/x): hi');
    assert.doesNotMatch(notificationText('bob', 'design', `${'x'.repeat(8)}[a](command:b)`, 20), /\]\(/u);
  });
});
