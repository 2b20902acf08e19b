import * as assert from 'assert';
import { MAX_TEXT_BYTES, PanelSnippet } from '../../../src/protocol/panel';
import { Composer } from '../../../src/webview/composer';
import { newDocument } from './dom';

function setup(me: string | null = 'dana') {
  const doc = newDocument();
  const sent: string[] = [];
  const replies: (string | undefined)[] = [];
  const reactions: [string, string][] = [];
  const drafts: string[] = [];
  const edited: (string | undefined)[] = [];
  const removed: string[] = [];
  const snippets: (PanelSnippet | undefined)[] = [];
  let editLastAsked = 0;
  let attachmentChanges = 0;
  const composer = new Composer(doc, {
    send: (text, replyTo, edits, snippet) => {
      sent.push(text);
      replies.push(replyTo);
      edited.push(edits);
      snippets.push(snippet);
    },
    react: (to, emoji) => reactions.push([to, emoji]),
    remove: (to) => removed.push(to),
    editLast: () => (editLastAsked += 1),
    draftChanged: (text) => drafts.push(text),
    attachmentChanged: () => (attachmentChanges += 1),
    setUsername: () => undefined,
  });
  doc.body.appendChild(composer.root);
  composer.setUser(me);
  const input = composer.root.querySelector('textarea') as HTMLTextAreaElement;
  const view = doc.defaultView as Window & typeof globalThis;
  const type = (text: string): void => {
    input.value = text;
    input.dispatchEvent(new view.Event('input'));
  };
  const press = (shiftKey: boolean): boolean => input.dispatchEvent(new view.KeyboardEvent('keydown', { key: 'Enter', shiftKey, cancelable: true }));
  const problem = (): string => (composer.root.querySelector('.composer-problem') as HTMLElement).textContent ?? '';
  const escape = (): boolean => input.dispatchEvent(new view.KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
  const bar = (): HTMLElement => composer.root.querySelector('.reply-bar') as HTMLElement;
  const up = (): boolean => input.dispatchEvent(new view.KeyboardEvent('keydown', { key: 'ArrowUp', cancelable: true }));
  const attachment = (): HTMLElement | null => composer.root.querySelector('.attachment');
  const sendButton = (): HTMLButtonElement => composer.root.querySelector('button.send') as HTMLButtonElement;
  return {
    composer, input, sent, replies, reactions, drafts, edited, removed, snippets, editLasts: () => editLastAsked, attachmentChanges: () => attachmentChanges,
    type, press, escape, up, bar, problem, attachment, sendButton,
  };
}

const PARENT = { id: 'ab'.repeat(16), username: 'bob', text: 'Is this the part that waits?' };

describe('composer: replies and reactions', () => {
  it('sends a reply with its parent\'s id, shows what it answers, and ends the reply once the host queued it', () => {
    const { composer, sent, replies, type, press, bar } = setup();
    composer.setReply(PARENT);
    assert.strictEqual(bar().hidden, false);
    assert.strictEqual(bar().textContent, 'Replying to bob Is this the part that waits?×');
    type('Yes.');
    press(false);
    assert.deepStrictEqual([sent, replies], [['Yes.'], [PARENT.id]]);
    composer.refused('Not connected to a room yet.');
    assert.strictEqual(bar().hidden, false, 'a refused reply is still a reply');
    press(false);
    composer.accepted();
    assert.deepStrictEqual(replies, [PARENT.id, PARENT.id]);
    assert.strictEqual(bar().hidden, true);
    type('And a plain one.');
    press(false);
    assert.deepStrictEqual(replies.at(-1), undefined);
  });

  it('ends a reply on Escape, keeping the text, and lets Escape through when there is none', () => {
    const { composer, input, type, escape, bar } = setup();
    composer.setReply(PARENT);
    type('Never mind');
    assert.strictEqual(escape(), false, 'Escape is taken by the reply');
    assert.strictEqual(bar().hidden, true);
    assert.strictEqual(input.value, 'Never mind');
    assert.strictEqual(escape(), true, 'nothing to cancel: the panel gets it');
  });

  it('takes one emoji for a reaction, says so for anything else, and clears itself once it reacted', () => {
    const { composer, input, sent, reactions, drafts, type, press, bar, problem } = setup();
    composer.setReacting(PARENT);
    assert.strictEqual(bar().textContent, 'React to bob Is this the part that waits?×');
    type('ok');
    press(false);
    assert.deepStrictEqual(reactions, []);
    assert.match(problem(), /^Type one emoji/u);
    type(' 🦄 ');
    press(false);
    assert.deepStrictEqual(reactions, [[PARENT.id, '🦄']]);
    assert.deepStrictEqual(sent, [], 'a reaction is not a message send');
    assert.strictEqual(input.value, '');
    assert.strictEqual(drafts.at(-1), '');
    assert.strictEqual(bar().hidden, true);
  });
});

describe('composer', () => {
  it('sends on Enter, not on Shift+Enter, and clears the draft once the host has queued the message', () => {
    const { composer, input, sent, drafts, type, press } = setup();
    type('hello\nworld');
    assert.strictEqual(press(true), true, 'Shift+Enter keeps its default (a new line)');
    assert.deepStrictEqual(sent, []);
    assert.strictEqual(press(false), false);
    assert.deepStrictEqual(sent, ['hello\nworld']);
    assert.strictEqual(input.value, 'hello\nworld', 'the text stays until the host answers');
    composer.accepted();
    assert.strictEqual(input.value, '');
    assert.deepStrictEqual(drafts, ['hello\nworld', '']);
  });

  it('drops a refusal\'s reason once the same text is sent again and accepted (no stale "Not connected")', () => {
    const { composer, input, sent, type, press, problem } = setup();
    type('typed before connecting');
    press(false);
    composer.refused('Not connected to a room yet.');
    assert.strictEqual(problem(), 'Not connected to a room yet.');
    press(false);
    assert.deepStrictEqual(sent, ['typed before connecting', 'typed before connecting']);
    assert.strictEqual(problem(), '', 'the new attempt waits for its own answer');
    composer.accepted();
    assert.strictEqual(input.value, '');
    assert.strictEqual(problem(), '');
    assert.strictEqual((composer.root.querySelector('.composer-problem') as HTMLElement).hidden, true);
  });

  it('keeps the text and shows the reason when the host refuses it', () => {
    const { composer, input, sent, drafts, type, press, problem } = setup();
    type('typed before connecting');
    press(false);
    composer.refused('Not connected to a room yet.');
    assert.strictEqual(input.value, 'typed before connecting');
    assert.deepStrictEqual(drafts, ['typed before connecting'], 'the saved draft is never cleared');
    assert.strictEqual(problem(), 'Not connected to a room yet.');
    press(false);
    assert.deepStrictEqual(sent, ['typed before connecting', 'typed before connecting'], 'it can be sent again');
  });

  it('sends one message at a time and keeps what is typed while the host answers', () => {
    const { composer, input, sent, drafts, type, press } = setup();
    type('first');
    press(false);
    type('first and more');
    assert.strictEqual((composer.root.querySelector('button.send') as HTMLButtonElement).disabled, true);
    press(false);
    assert.deepStrictEqual(sent, ['first'], 'no second send before the first is answered');
    composer.accepted();
    assert.strictEqual(input.value, ' and more');
    assert.strictEqual(drafts.at(-1), ' and more');
  });

  it('leaves a draft the host replaced alone when the answer comes', () => {
    const { composer, input, type, press } = setup();
    type('sent');
    press(false);
    composer.setDraft('prefilled by a command');
    composer.accepted();
    assert.strictEqual(input.value, 'prefilled by a command');
  });

  it('does not send empty text', () => {
    const { sent, type, press } = setup();
    type('   ');
    press(false);
    assert.deepStrictEqual(sent, []);
  });

  it('says when the text is too long and does not send it', () => {
    const { sent, type, press, problem } = setup();
    type('a'.repeat(MAX_TEXT_BYTES + 1));
    assert.match(problem(), /too long/u);
    press(false);
    assert.deepStrictEqual(sent, []);
    type('a');
    assert.strictEqual(problem(), '');
  });

  it('asks for a valid username before sending', () => {
    const { sent, type, press, problem, composer } = setup(null);
    type('hi');
    assert.match(problem(), /username/iu);
    press(false);
    assert.deepStrictEqual(sent, []);
    composer.setUser('dana');
    press(false);
    assert.deepStrictEqual(sent, ['hi']);
  });

  it('shows a refusal from the host until the text changes', () => {
    const { composer, type, problem } = setup();
    composer.showError('Not connected.');
    assert.strictEqual(problem(), 'Not connected.');
    type('x');
    assert.strictEqual(problem(), '');
  });
});

describe('composer: editing and deleting one\'s own message', () => {
  const OWN = { id: 'cd'.repeat(16), username: 'dana', text: 'helo wrld' };

  it('puts the text in the box, sends the new version with the message\'s id, and gives the draft back once queued', () => {
    const { composer, input, sent, replies, edited, type, press, bar } = setup();
    type('a draft');
    composer.setEditing(OWN, 'helo wrld');
    assert.strictEqual(input.value, 'helo wrld');
    assert.strictEqual(bar().hidden, false);
    assert.ok(bar().textContent?.startsWith('Editing dana'), bar().textContent ?? '');
    type('hello world');
    press(false);
    assert.deepStrictEqual([sent, replies, edited], [['hello world'], [undefined], [OWN.id]]);
    composer.accepted();
    assert.deepStrictEqual([input.value, bar().hidden], ['a draft', true]);
  });

  it('Escape ends the edit with the draft back; a refusal keeps the edit and its text', () => {
    const { composer, input, sent, type, press, escape, bar } = setup();
    type('draft');
    composer.setEditing(OWN, 'helo');
    press(false);
    composer.refused('no');
    assert.deepStrictEqual([input.value, bar().hidden], ['helo', false]);
    escape();
    assert.deepStrictEqual([input.value, bar().hidden, sent], ['draft', true, ['helo']]);
  });

  it('asks before a delete: Enter deletes (the draft untouched), Escape keeps the message', () => {
    const { composer, input, removed, type, press, escape, bar } = setup();
    type('draft');
    composer.setDeleting(OWN);
    assert.ok(bar().textContent?.startsWith('Delete for everyone?'), bar().textContent ?? '');
    escape();
    assert.deepStrictEqual([removed, bar().hidden], [[], true]);
    composer.setDeleting(OWN);
    press(false);
    assert.deepStrictEqual([removed, bar().hidden, input.value], [[OWN.id], true, 'draft']);
  });

  it('Up in an empty box asks to edit the last message; with text in it, Up moves the caret as usual', () => {
    const { up, type, editLasts } = setup();
    assert.strictEqual(up(), false, 'handled');
    assert.strictEqual(editLasts(), 1);
    type('x');
    assert.strictEqual(up(), true, 'not handled');
    assert.strictEqual(editLasts(), 1);
  });
});

const SNIPPET: PanelSnippet = {
  code: '  if (width < 0 || height < 0) {\n    throw new Error(\'negative size\');\n  }\n  return width * height;\n}\n',
  language: 'typescript', path: 'src/area.ts', startLine: 2, endLine: 6,
};

describe('composer: an attached snippet', () => {
  it('shows the path, the lines, the language and the first four lines of code, with a count of the rest', () => {
    const { composer, input, attachment, attachmentChanges } = setup();
    assert.strictEqual(attachment(), null);
    composer.attach(SNIPPET);
    const box = attachment() as HTMLElement;
    assert.strictEqual(box.querySelector('.attachment-reference')?.textContent, 'src/area.ts:2-6');
    assert.strictEqual(box.querySelector('.language')?.textContent, 'typescript');
    assert.strictEqual(box.querySelector('code')?.textContent, '  if (width < 0 || height < 0) {\n    throw new Error(\'negative size\');\n  }\n  return width * height;');
    assert.strictEqual(box.querySelector('.attachment-more')?.textContent, '… 1 more line');
    assert.strictEqual(box.getAttribute('aria-label'), 'Code snippet to send');
    assert.strictEqual(input.placeholder, 'Add a comment (Enter sends it with the snippet)');
    assert.strictEqual(attachmentChanges(), 1);
    composer.attach({ ...SNIPPET, code: 'one line', startLine: 4, endLine: 4 });
    assert.deepStrictEqual([attachment()?.querySelector('.attachment-reference')?.textContent, attachment()?.querySelector('.attachment-more')], ['src/area.ts:4', null]);
  });

  it('shows the path and the code as text, never as markup', () => {
    const { composer, attachment } = setup();
    composer.attach({ ...SNIPPET, path: 'src/<img src=x onerror=alert(1)>.ts', code: '<script>alert(1)</script>' });
    const box = attachment() as HTMLElement;
    assert.strictEqual(box.querySelectorAll('img, script').length, 0);
    assert.strictEqual(box.querySelector('code')?.textContent, '<script>alert(1)</script>');
    assert.strictEqual(box.querySelector('.path')?.textContent, 'src/<img src=x onerror=alert(1)>.ts');
  });

  it('sends the comment with the snippet as one message, and takes the snippet out once the host queued it', () => {
    const { composer, input, sent, snippets, type, press, attachment } = setup();
    composer.attach(SNIPPET);
    assert.deepStrictEqual(composer.saved, { draft: '', snippet: SNIPPET });
    type('Is this check enough?');
    press(false);
    assert.deepStrictEqual([sent, snippets], [['Is this check enough?'], [SNIPPET]]);
    composer.refused('Not connected to a room yet.');
    assert.notStrictEqual(attachment(), null, 'a refused message keeps its snippet');
    press(false);
    composer.accepted();
    assert.deepStrictEqual([attachment(), input.value, composer.saved], [null, '', { draft: '' }]);
    type('A plain one.');
    press(false);
    assert.strictEqual(snippets.at(-1), undefined);
  });

  it('sends a snippet without a comment, but not an empty box without one', () => {
    const { composer, sent, snippets, press, sendButton } = setup();
    assert.strictEqual(sendButton().disabled, true);
    press(false);
    assert.deepStrictEqual(sent, []);
    composer.attach(SNIPPET);
    assert.strictEqual(sendButton().disabled, false);
    press(false);
    assert.deepStrictEqual([sent, snippets], [[''], [SNIPPET]]);
  });

  it('goes with a reply, not with an edit (it waits for the next message)', () => {
    const { composer, snippets, replies, edited, type, press, attachment } = setup();
    composer.attach(SNIPPET);
    composer.setReply(PARENT);
    type('Here:');
    press(false);
    assert.deepStrictEqual([replies, snippets], [[PARENT.id], [SNIPPET]]);
    composer.accepted();
    assert.strictEqual(attachment(), null);
    composer.attach(SNIPPET);
    composer.setEditing({ id: 'cd'.repeat(16), username: 'dana', text: 'old' }, 'old');
    type('new');
    press(false);
    assert.deepStrictEqual([edited.at(-1), snippets.at(-1)], ['cd'.repeat(16), undefined]);
    composer.accepted();
    assert.notStrictEqual(attachment(), null, 'still there for the next message');
  });

  it('keeps a snippet attached while the host answers the message before it', () => {
    const { composer, type, press, attachment } = setup();
    type('first');
    press(false);
    composer.attach(SNIPPET);
    composer.accepted();
    assert.notStrictEqual(attachment(), null);
  });

  it('is taken out by its × button or by Escape, keeping the comment; Escape ends a reply first', () => {
    const { composer, input, type, escape, attachment, bar } = setup();
    composer.attach(SNIPPET);
    type('never mind');
    (attachment()?.querySelector('button.attachment-remove') as HTMLButtonElement).click();
    assert.deepStrictEqual([attachment(), input.value, input.placeholder], [null, 'never mind', 'Message (Shift+Enter: new line)']);
    composer.attach(SNIPPET);
    composer.setReply(PARENT);
    assert.strictEqual(escape(), false);
    assert.deepStrictEqual([bar().hidden, attachment() !== null], [true, true]);
    assert.strictEqual(escape(), false);
    assert.strictEqual(attachment(), null);
    assert.strictEqual(escape(), true, 'nothing left to take out: the panel gets it');
  });

  it('says when the comment and the snippet together are too long, and does not send them', () => {
    const { composer, sent, type, press, problem } = setup();
    composer.attach({ ...SNIPPET, code: 'x'.repeat(MAX_TEXT_BYTES - 100) });
    assert.strictEqual(problem(), '');
    type('y'.repeat(100));
    assert.match(problem(), /^Message is too long: /u);
    press(false);
    assert.deepStrictEqual(sent, []);
  });
});
