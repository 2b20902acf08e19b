// "@" autocomplete: the query at the caret, the names that fit it, the text once one is picked,
// and the composer's keys (Up/Down, Enter/Tab, Escape) with the list open.
import * as assert from 'assert';
import { MAX_SUGGESTIONS, insertMention, mentionCandidates, mentionQuery } from '../../../src/webview/autocomplete';
import { Composer } from '../../../src/webview/composer';
import { newDocument } from './dom';

describe('autocomplete: the mention being typed', () => {
  it('is what follows an "@" that starts a word, up to the caret, on one line', () => {
    assert.deepStrictEqual(mentionQuery('hi @bo', 6), { start: 3, prefix: 'bo' });
    assert.deepStrictEqual(mentionQuery('@', 1), { start: 0, prefix: '' });
    assert.deepStrictEqual(mentionQuery('(@al', 4), { start: 1, prefix: 'al' });
    assert.deepStrictEqual(mentionQuery('ask @mary ann', 13), { start: 4, prefix: 'mary ann' }, 'a name may hold a space');
    assert.deepStrictEqual(mentionQuery('hi @bob and', 7), { start: 3, prefix: 'bob' }, 'the caret, not the end of the text, ends it');
  });

  it('is none in an e-mail address, after a new line, after "@ ", or longer than any name', () => {
    assert.deepStrictEqual(
      [['mail bob@ex', 11], ['@bob\nnext', 9], ['@ bob', 5], ['@abcdefghijklmnopq', 18], ['no at sign', 10]].map(([text, caret]) => mentionQuery(text as string, caret as number)),
      [null, null, null, null, null],
    );
  });

  it('offers the names starting with it, ignoring case, in the order given, each once, at most a few', () => {
    const names = ['Bob', 'bobby', 'carol', 'bob', 'Bob'];
    assert.deepStrictEqual(mentionCandidates(names, 'bo'), ['Bob', 'bobby', 'bob']);
    assert.deepStrictEqual(mentionCandidates(names, 'BOBB'), ['bobby']);
    assert.deepStrictEqual(mentionCandidates(names, 'x'), []);
    assert.strictEqual(mentionCandidates(Array.from({ length: 20 }, (_, i) => `m${i}`), '').length, MAX_SUGGESTIONS);
  });

  it('puts "@name " in place of the query, keeping the rest, the caret after the space', () => {
    assert.deepStrictEqual(insertMention('hi @bo', { start: 3, prefix: 'bo' }, 6, 'bob'), { text: 'hi @bob ', caret: 8 });
    assert.deepStrictEqual(insertMention('hi @bo thanks', { start: 3, prefix: 'bo' }, 6, 'bob'), { text: 'hi @bob thanks', caret: 8 });
  });
});

describe('autocomplete: in the composer', () => {
  function setup() {
    const doc = newDocument();
    const sent: string[] = [];
    const composer = new Composer(doc, { send: (text) => sent.push(text), react: () => undefined, remove: () => undefined, editLast: () => undefined, draftChanged: () => undefined, attachmentChanged: () => undefined, setUsername: () => undefined });
    doc.body.appendChild(composer.root);
    composer.setUser('dana');
    composer.setMembers(['bob', 'bobby', 'carol']);
    const input = composer.root.querySelector('textarea') as HTMLTextAreaElement;
    const view = doc.defaultView as Window & typeof globalThis;
    const type = (text: string): void => {
      input.value = text;
      input.setSelectionRange(text.length, text.length);
      input.dispatchEvent(new view.Event('input'));
    };
    const key = (name: string): boolean => input.dispatchEvent(new view.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
    const list = (): string[] | null => {
      const root = composer.root.querySelector('.mention-list') as HTMLElement;
      return root.hidden ? null : Array.from(root.querySelectorAll('li')).map((option) => `${option.classList.contains('chosen') ? '>' : ''}${option.textContent}`);
    };
    return { input, sent, type, key, list, composer };
  }

  it('lists the members that fit as "@" is typed, and moves with the arrows, wrapping', () => {
    const { type, key, list, input } = setup();
    type('thanks @');
    assert.deepStrictEqual(list(), ['>@bob', '@bobby', '@carol']);
    type('thanks @b');
    assert.deepStrictEqual(list(), ['>@bob', '@bobby']);
    key('ArrowDown');
    assert.deepStrictEqual(list(), ['@bob', '>@bobby']);
    assert.strictEqual(input.getAttribute('aria-activedescendant'), 'mention-1');
    key('ArrowDown');
    assert.deepStrictEqual(list(), ['>@bob', '@bobby']);
    key('ArrowUp');
    assert.deepStrictEqual(list(), ['@bob', '>@bobby']);
    type('thanks @bx');
    assert.strictEqual(list(), null);
  });

  it('puts the chosen name in with Enter, without sending, and with Tab', () => {
    const { type, key, list, input, sent } = setup();
    type('@bo');
    key('ArrowDown');
    assert.strictEqual(key('Enter'), false, 'the key was taken');
    assert.deepStrictEqual([input.value, list(), sent], ['@bobby ', null, []]);
    type('@bobby ask @c');
    key('Tab');
    assert.strictEqual(input.value, '@bobby ask @carol ');
    key('Enter');
    assert.deepStrictEqual(sent, ['@bobby ask @carol '], 'with the list closed, Enter sends');
  });

  it('closes the list with Escape and keeps the text as typed', () => {
    const { type, key, list, input } = setup();
    type('hi @ca');
    assert.strictEqual(key('Escape'), false);
    assert.deepStrictEqual([list(), input.value], [null, 'hi @ca']);
  });

  it('offers nothing while the box takes a reaction\'s emoji', () => {
    const { type, list, composer } = setup();
    composer.setReacting({ id: 'ab', username: 'bob', text: 'hi' });
    type('@');
    assert.strictEqual(list(), null);
  });
});
