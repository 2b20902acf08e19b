import * as assert from 'assert';
import type { ViewToHost } from '../../../src/protocol/panel';
import { ChatPanel } from '../../../src/webview/chatPanel';
import type { ViewState } from '../../../src/webview/hostApi';
import { newDocument, withListStubs } from './dom';

/** A panel in a fresh page, with what it posts and saves, and the user's keys in its composer. */
function openPanel(saved: ViewState = { draft: '' }) {
  const doc = newDocument();
  const posted: ViewToHost[] = [];
  const states: ViewState[] = [];
  const root = doc.body.appendChild(doc.createElement('main'));
  const panel = new ChatPanel(doc, root, { post: (message) => posted.push(message), saveState: (state) => states.push(state) }, saved);
  const input = root.querySelector('textarea') as HTMLTextAreaElement;
  const view = doc.defaultView as Window & typeof globalThis;
  const type = (text: string): void => {
    input.value = text;
    input.dispatchEvent(new view.Event('input'));
  };
  const enter = (): boolean => input.dispatchEvent(new view.KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
  const send = (text: string): void => {
    type(text);
    enter();
  };
  const sends = () => posted.filter((message) => message.type === 'send');
  const problem = (): string => root.querySelector('.composer-problem')?.textContent ?? '';
  return { panel, root, input, view, posted, states, type, enter, send, sends, problem };
}

describe('chat panel: sending', () => {
  withListStubs();

  function setup() {
    const opened = openPanel();
    opened.panel.handle({ type: 'snapshot', connection: { status: 'disconnected' }, me: 'dana', messages: [], online: [], hasOlder: false });
    return opened;
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

describe('chat panel: snippets and message links', () => {
  /** Frames the list asked for, run by draw(): the rows in view are then in the page. */
  const frames: FrameRequestCallback[] = [];
  let frameAsked: (() => void) | null = null;
  withListStubs((run) => {
    frames.push(run);
    frameAsked?.();
  });
  /** Settles when the list next asks for a frame. */
  const nextFrame = () => new Promise<void>((resolve) => {
    frameAsked = () => {
      frameAsked = null;
      resolve();
    };
  });
  // The list's click handler asks `instanceof Element`, a browser global: setup() lends it this test's page's.
  after(() => Reflect.deleteProperty(globalThis, 'Element'));
  const draw = (): void => {
    for (const run of frames.splice(0)) run(0);
  };

  const SNIPPET = { code: 'const a = 1;\n', language: 'typescript', path: 'src/a.ts', startLine: 3, endLine: 3 };
  const item = (id: string, seq: number, text: string, status: 'sent' | 'pending' = 'sent') =>
    ({ id, seq, username: 'bob', timestamp: 1_700_000_000_000 + seq, text, own: false, status });

  function setup(saved?: ViewState) {
    const opened = openPanel(saved);
    // jsdom lays nothing out: a scroller of some height, and rows of some height in this page, let the list draw the rows in view.
    Object.defineProperty(opened.root.querySelector('.scroller'), 'clientHeight', { value: 600 });
    Object.defineProperty(opened.view.HTMLElement.prototype, 'offsetHeight', { get: () => 40 });
    Object.assign(globalThis, { Element: opened.view.Element });
    return opened;
  }

  it('puts the snippet the host attaches above the composer and sends it with the comment as one message', () => {
    const { panel, root, states, send, sends } = setup();
    panel.handle({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [], online: [], hasOlder: false });
    panel.handle({ type: 'attachSnippet', snippet: SNIPPET });
    assert.strictEqual(root.querySelector('.attachment-reference')?.textContent, 'src/a.ts:3');
    assert.deepStrictEqual(states.at(-1), { draft: '', snippet: SNIPPET });
    send('Why 1?');
    assert.deepStrictEqual(sends(), [{ type: 'send', id: 1, text: 'Why 1?', snippet: SNIPPET }]);
    panel.handle({ type: 'sendResult', id: 1 });
    assert.strictEqual(root.querySelector('.attachment'), null);
    assert.deepStrictEqual(states.at(-1), { draft: '' });
  });

  it('shows the path of a file the view cannot offer to open as text, attached or sent, and opens a workspace path on a click', () => {
    const { panel, root, posted } = setup();
    const odd = { ...SNIPPET, path: 'src/a(b).ts' };
    const [withOdd, withPlain] = ['ab'.repeat(16), 'cd'.repeat(16)];
    const messages = [{ ...item(withOdd, 1, 'odd name'), snippet: odd }, { ...item(withPlain, 2, 'plain name'), snippet: SNIPPET }];
    panel.handle({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages, online: [], hasOlder: false });
    panel.handle({ type: 'attachSnippet', snippet: odd });
    assert.strictEqual(root.querySelector('.attachment-reference')?.textContent, 'src/a(b).ts:3');
    draw();
    const row = (id: string) => root.querySelector(`.row.message[data-id="${id}"]`);
    assert.strictEqual(row(withOdd)?.querySelector('.reference-text')?.textContent, 'src/a(b).ts:3');
    assert.strictEqual(row(withOdd)?.querySelector('button.reference'), null);
    row(withPlain)?.querySelector<HTMLButtonElement>('button.reference')?.click();
    assert.deepStrictEqual(posted.at(-1), { type: 'openReference', path: 'src/a.ts', line: 3 });
  });

  it('brings back the draft and the attachment a reloaded page had', () => {
    const { root, input } = setup({ draft: 'half a comment', snippet: SNIPPET });
    assert.strictEqual(input.value, 'half a comment');
    assert.strictEqual(root.querySelector('.attachment code')?.textContent, 'const a = 1;');
  });

  it('offers Copy Link on stored messages only, and asks the host for the link', () => {
    const { panel, root, posted } = setup();
    const stored = 'ab'.repeat(16);
    const pending = 'cd'.repeat(16);
    panel.handle({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [item(stored, 1, 'stored'), item(pending, 2, 'on its way', 'pending')], online: [], hasOlder: false });
    draw();
    const linkButton = (id: string) => root.querySelector<HTMLButtonElement>(`.row.message[data-id="${id}"] button[data-action="copyLink"]`);
    assert.strictEqual(linkButton(pending), null);
    assert.strictEqual(linkButton(stored)?.textContent, 'Copy Link');
    linkButton(stored)?.click();
    assert.deepStrictEqual(posted.at(-1), { type: 'copyLink', id: stored });
  });

  it('drops a reply begun in one room when another room is shown, and keeps it through a snapshot of the same room', () => {
    const { panel, root, send, sends } = setup();
    const parent = 'ab'.repeat(16);
    const room = (address: string) => ({ type: 'snapshot', connection: { status: 'connected', address }, me: 'dana', messages: [item(parent, 1, 'in room A')], online: [], hasOlder: false }) as const;
    panel.handle(room('ws://127.0.0.1:7777/a'));
    draw();
    root.querySelector<HTMLButtonElement>(`.row.message[data-id="${parent}"] button[data-action="reply"]`)?.click();
    panel.handle(room('ws://127.0.0.1:7777/a'));
    assert.strictEqual(root.querySelector<HTMLElement>('.reply-bar')?.hidden, false, 'the same room: the reply stays');
    panel.handle(room('ws://127.0.0.1:7777/b'));
    assert.strictEqual(root.querySelector<HTMLElement>('.reply-bar')?.hidden, true, 'another room: the reply goes');
    send('for room B');
    assert.deepStrictEqual(sends(), [{ type: 'send', id: 1, text: 'for room B' }]);
  });

  it('shows a linked message: loads older history until it is there, then highlights it for a moment', async () => {
    const { panel, root, posted } = setup();
    const old = 'ef'.repeat(16);
    panel.handle({ type: 'snapshot', connection: { status: 'connected' }, me: 'dana', messages: [item('ab'.repeat(16), 10, 'latest')], online: [], hasOlder: true });
    panel.handle({ type: 'showMessage', id: old });
    assert.deepStrictEqual(posted.at(-1), { type: 'loadOlder', beforeSeq: 10 });
    panel.handle({ type: 'messages', items: [item(old, 3, 'the linked one')], position: 'prepend', hasOlder: true });
    draw();
    assert.ok(root.querySelector(`.row.message.highlighted[data-id="${old}"]`), 'highlighted');
    assert.strictEqual(posted.filter((message) => message.type === 'loadOlder').length, 1, 'no further page');
    // The highlight ends by a timer that redraws the list: wait for that frame, so that no timer of
    // this test fires after the block has put the browser globals back.
    await nextFrame();
    draw();
    assert.strictEqual(root.querySelector('.row.message.highlighted'), null, 'highlight over');
  });
});
