import * as assert from 'assert';
import type { ViewToHost } from '../../../src/protocol/panel';
import { ChatPanel } from '../../../src/webview/chatPanel';
import type { ViewState } from '../../../src/webview/hostApi';
import { newDocument, withListStubs } from './dom';

describe('chat panel: sending', () => {
  withListStubs();

  function setup() {
    const doc = newDocument();
    const posted: ViewToHost[] = [];
    const states: ViewState[] = [];
    const root = doc.body.appendChild(doc.createElement('main'));
    const panel = new ChatPanel(doc, root, { post: (message) => posted.push(message), saveState: (state) => states.push(state) }, '');
    panel.handle({ type: 'snapshot', connection: { status: 'disconnected' }, me: 'dana', messages: [], online: [], hasOlder: false });
    const input = root.querySelector('textarea') as HTMLTextAreaElement;
    const view = doc.defaultView as Window & typeof globalThis;
    const send = (text: string): void => {
      input.value = text;
      input.dispatchEvent(new view.Event('input'));
      input.dispatchEvent(new view.KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    };
    const sends = () => posted.filter((message) => message.type === 'send');
    const problem = (): string => root.querySelector('.composer-problem')?.textContent ?? '';
    return { panel, input, states, send, sends, problem };
  }

  it('labels the composer in the words of the host\'s snapshot, and in English again with none', () => {
    const { panel, input } = setup();
    const sendButton = (): string => input.ownerDocument.querySelector('button.send')?.textContent ?? '';
    assert.deepStrictEqual([input.placeholder, input.getAttribute('aria-label'), sendButton()], ['Message (Shift+Enter: new line)', 'Message', 'Send']);
    const german = { composerPlaceholder: 'Nachricht (Umschalt+Eingabe: neue Zeile)', composerLabel: 'Nachricht', send: 'Senden' };
    panel.handle({ type: 'snapshot', connection: { status: 'disconnected' }, me: 'dana', messages: [], online: [], hasOlder: false, text: german });
    assert.deepStrictEqual([input.placeholder, input.getAttribute('aria-label'), sendButton()], ['Nachricht (Umschalt+Eingabe: neue Zeile)', 'Nachricht', 'Senden']);
    panel.handle({ type: 'snapshot', connection: { status: 'disconnected' }, me: 'dana', messages: [], online: [], hasOlder: false });
    assert.strictEqual(sendButton(), 'Send');
  });

  it('posts each send with a new id and clears the draft only on its answer', () => {
    const { panel, input, states, send, sends } = setup();
    send('one');
    panel.handle({ type: 'sendResult', id: sends()[0].id });
    send('two');
    const [first, second] = sends();
    assert.deepStrictEqual([first, second], [{ type: 'send', id: 1, text: 'one' }, { type: 'send', id: 2, text: 'two' }]);
    assert.strictEqual(input.value, 'two');
    panel.handle({ type: 'sendResult', id: first.id });
    assert.strictEqual(input.value, 'two', 'an answer to an earlier send changes nothing');
    panel.handle({ type: 'sendResult', id: second.id });
    assert.strictEqual(input.value, '');
    assert.deepStrictEqual(states.at(-1), { draft: '' });
  });

  it('keeps a refused message in the composer with the host\'s reason', () => {
    const { panel, input, states, send, sends, problem } = setup();
    send('typed before connecting');
    panel.handle({ type: 'sendResult', id: sends()[0].id, refusal: 'Not connected to a room yet.' });
    assert.strictEqual(input.value, 'typed before connecting');
    assert.deepStrictEqual(states.at(-1), { draft: 'typed before connecting' });
    assert.strictEqual(problem(), 'Not connected to a room yet.');
  });
});
