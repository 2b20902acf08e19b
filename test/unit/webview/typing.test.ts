// Who is typing, as the panel shows it: expiry after the last signal, cleared by a message or a
// leave, and the words for one, two and several.
import * as assert from 'assert';
import { sayInEnglish } from '../../../src/protocol/panelText';
import { TYPING_EXPIRY_MS } from '../../../src/protocol/limits';
import type { ViewToHost } from '../../../src/protocol/panel';
import { ChatPanel } from '../../../src/webview/chatPanel';
import { TypingMembers, typingWords } from '../../../src/webview/typing';
import { newDocument, withListStubs } from './dom';

describe('panel: who is typing', () => {
  it('shows a name until the expiry after its last signal, a new signal extending it', () => {
    const members = new TypingMembers();
    members.signal('bob', 1000);
    assert.deepStrictEqual(members.names(1000 + TYPING_EXPIRY_MS - 1), ['bob']);
    assert.strictEqual(members.nextExpiry(), 1000 + TYPING_EXPIRY_MS);
    members.signal('bob', 3000);
    assert.deepStrictEqual(members.names(1000 + TYPING_EXPIRY_MS), ['bob'], 'the later signal counts');
    assert.deepStrictEqual(members.names(3000 + TYPING_EXPIRY_MS), []);
    assert.strictEqual(members.nextExpiry(), undefined);
  });

  it('keeps the order members started typing in, and drops one who sent or left', () => {
    const members = new TypingMembers();
    members.signal('carol', 0);
    members.signal('bob', 10);
    members.signal('dave', 20);
    members.signal('carol', 30);
    assert.deepStrictEqual(members.names(40), ['bob', 'dave', 'carol']);
    members.stopped('dave');
    assert.deepStrictEqual(members.names(40), ['bob', 'carol']);
    assert.strictEqual(members.nextExpiry(), 10 + TYPING_EXPIRY_MS);
    members.clear();
    assert.deepStrictEqual(members.names(40), []);
  });

  it('says one name, two names, or several people', () => {
    assert.deepStrictEqual(
      [[], ['bob'], ['bob', 'carol'], ['bob', 'carol', 'dave']].map((names) => typingWords(names, sayInEnglish)),
      ['', 'bob is typing…', 'bob and carol are typing…', 'Several people are typing…'],
    );
  });
});

describe('panel: typing signals in and out', () => {
  withListStubs();

  function connectedPanel() {
    const doc = newDocument();
    const posted: ViewToHost[] = [];
    const root = doc.body.appendChild(doc.createElement('main'));
    const panel = new ChatPanel(doc, root, { post: (message) => posted.push(message), saveState: () => undefined }, { draft: '' });
    panel.handle({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [], hasOlder: false });
    const input = root.querySelector('textarea') as HTMLTextAreaElement;
    const type = (text: string): void => {
      input.value = text;
      input.dispatchEvent(new (doc.defaultView as Window & typeof globalThis).Event('input'));
    };
    const line = (): string => root.querySelector('.typing-line')?.textContent ?? '';
    return { panel, posted, type, line };
  }

  it('tells the host once per interval while the user types, and not for an emptied box', () => {
    const { posted, type } = connectedPanel();
    type('h');
    type('he');
    type('hel');
    type('');
    assert.deepStrictEqual(posted.filter((message) => message.type === 'typing'), [{ type: 'typing' }]);
  });

  it('shows who types, and drops a name when their message arrives or they leave', () => {
    const { panel, line } = connectedPanel();
    panel.handle({ type: 'typing', name: 'bob' });
    assert.strictEqual(line(), 'bob is typing…');
    panel.handle({ type: 'typing', name: 'carol' });
    assert.strictEqual(line(), 'bob and carol are typing…');
    panel.handle({ type: 'typing', name: 'erin' });
    assert.strictEqual(line(), 'Several people are typing…');
    const message = { id: 'ab', seq: 1, username: 'bob', timestamp: Date.now(), text: 'hi', own: false, status: 'sent' } as const;
    panel.handle({ type: 'messages', items: [message], position: 'append', hasOlder: false });
    assert.strictEqual(line(), 'carol and erin are typing…');
    panel.handle({ type: 'presence', online: [], left: 'erin' });
    assert.strictEqual(line(), 'carol is typing…');
    panel.handle({ type: 'connection', status: 'reconnecting' });
    assert.strictEqual(line(), '', 'nobody shows as typing while the chat is not connected');
  });
});
