import * as assert from 'assert';
import { renderMarkdown } from '../../../src/webview/markdown';
import { renderRow } from '../../../src/webview/messageView';
import { newDocument } from './dom';
import { XSS_PAYLOADS } from './xssPayloads';

const ALLOWED_TAGS = new Set(['P', 'BR', 'CODE', 'PRE', 'STRONG', 'EM', 'A', 'SPAN']);

function render(text: string, me: string | null = 'dana'): HTMLElement {
  const doc = newDocument();
  const container = doc.createElement('div');
  container.appendChild(renderMarkdown(doc, text, me));
  return container;
}

/** Every element is an allowed one, and the only attributes are http(s) hrefs on links, the mention class and dir="auto" (bidi isolation). */
function assertOnlyAllowedMarkup(container: HTMLElement): void {
  for (const element of Array.from(container.querySelectorAll('*'))) {
    assert.ok(ALLOWED_TAGS.has(element.tagName), `unexpected <${element.tagName}>`);
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.name === 'dir') {
        assert.strictEqual(attribute.value, 'auto');
      } else if (attribute.name === 'href') {
        assert.strictEqual(element.tagName, 'A');
        assert.match(attribute.value, /^https?:\/\//iu);
      } else {
        assert.deepStrictEqual([element.tagName, attribute.name, attribute.value], ['SPAN', 'class', 'mention']);
      }
    }
  }
}

describe('markdown', () => {
  it('renders inline code, bold, italics and links', () => {
    const container = render('Use `npm ci`, **really**, *now*: [docs](https://example.com/a?b=1) or https://example.org/x.');
    assert.strictEqual(container.querySelector('code')?.textContent, 'npm ci');
    assert.strictEqual(container.querySelector('strong')?.textContent, 'really');
    assert.strictEqual(container.querySelector('em')?.textContent, 'now');
    const links = Array.from(container.querySelectorAll('a')).map((a) => [a.textContent, a.getAttribute('href')]);
    assert.deepStrictEqual(links, [['docs', 'https://example.com/a?b=1'], ['https://example.org/x', 'https://example.org/x']]);
    assert.strictEqual(container.textContent, 'Use npm ci, really, now: docs or https://example.org/x.');
  });

  /** The rendered markup without the bidi attributes, for exact comparisons. */
  function markup(text: string): string {
    return render(text).innerHTML.replace(/ dir="auto"/gu, '');
  }

  it('nests emphasis and keeps markup out of code spans', () => {
    assert.strictEqual(markup('**a *b* c**'), '<p><strong>a <em>b</em> c</strong></p>');
    assert.strictEqual(markup('`**x**`'), '<p><code>**x**</code></p>');
    assert.strictEqual(markup('2 * 3 * 4'), '<p>2 * 3 * 4</p>');
    assert.strictEqual(markup('unclosed **bold and `code'), '<p>unclosed **bold and `code</p>');
  });

  it('splits paragraphs and fenced code blocks, with <br> between lines', () => {
    assert.strictEqual(markup('a\nb\n\n```ts\nconst x = 1;\n\n**y**\n```\nc'), '<p>a<br>b</p><pre><code>const x = 1;\n\n**y**</code></pre><p>c</p>');
    const container = render('one\ntwo\n\n```\n<b>code</b>\n```');
    assert.strictEqual(container.querySelectorAll('p').length, 1);
    assert.strictEqual(container.querySelectorAll('br').length, 1);
    assert.strictEqual(container.querySelector('pre code')?.textContent, '<b>code</b>');
  });

  it('runs an unclosed fence to the end of the message', () => {
    assert.strictEqual(markup('```\nline 1\nline 2'), '<pre><code>line 1\nline 2</code></pre>');
  });

  it('keeps the syntax it does not support as text: headings, lists, quotes, images, HTML, entities', () => {
    const text = '# not a heading\n- not a list\n> not a quote\n![img](https://example.com/x.png) &amp; <b>x</b>';
    const container = render(text);
    assert.strictEqual(container.querySelectorAll('h1, ul, li, blockquote, img, b').length, 0);
    assert.strictEqual(container.textContent, text.replace(/\n/gu, '').replace('[img](https://example.com/x.png)', 'img'));
  });

  it('renders text that would be quadratic for a naive parser in time linear in its length', () => {
    const time = (text: string): number => {
      const start = performance.now();
      render(text);
      return performance.now() - start;
    };
    const hostile = (bytes: number) => '*a '.repeat(bytes / 3);
    time(hostile(3 * 1024)); // warm up
    const small = Math.min(time(hostile(3 * 1024)), time(hostile(3 * 1024)));
    const large = Math.min(time(hostile(30 * 1024)), time(hostile(30 * 1024)));
    // Ten times the text: linear work takes about ten times as long, quadratic a hundred.
    assert.ok(large < small * 40 + 20, `3 KiB: ${small.toFixed(1)} ms, 30 KiB: ${large.toFixed(1)} ms`);
    assert.strictEqual(render(hostile(30 * 1024)).querySelectorAll('em, strong').length, 0);
  });

  it('links only http and https', () => {
    for (const text of ['[x](javascript:alert(1))', '[x](file:///etc/passwd)', '[x](command:workbench.action.quit)', 'ftp://example.com']) {
      const container = render(text);
      assert.strictEqual(container.querySelector('a'), null, text);
      assert.strictEqual(container.textContent, text);
    }
  });

  it('trims sentence punctuation from bare URLs and does not link inside words', () => {
    assert.strictEqual(render('see https://example.com/a).').querySelector('a')?.getAttribute('href'), 'https://example.com/a');
    assert.strictEqual(render('xhttps://example.com').querySelector('a'), null);
  });

  it('isolates every run of text a sender wrote (bidi), so override characters cannot reorder the rest', () => {
    const container = render('\u202eevil **bold** *em* `code` [link](https://example.com) https://example.org @dana\n\n```\nblock\n```');
    const runs = Array.from(container.querySelectorAll('p, pre, strong, em, code, a, .mention')).filter((node) => node.parentElement?.tagName !== 'PRE');
    assert.deepStrictEqual(runs.map((node) => [node.tagName, node.getAttribute('dir')]), [
      ['P', 'auto'], ['STRONG', 'auto'], ['EM', 'auto'], ['CODE', 'auto'], ['A', 'auto'], ['A', 'auto'], ['SPAN', 'auto'], ['PRE', 'auto'],
    ]);
  });

  it('highlights mentions of the current user only', () => {
    const container = render('@dana and @bob, ping @Dana.', 'dana');
    assert.deepStrictEqual(Array.from(container.querySelectorAll('.mention')).map((m) => m.textContent), ['@dana', '@Dana']);
    assert.strictEqual(render('@dana', null).querySelector('.mention'), null);
  });

  describe(`renders each of ${XSS_PAYLOADS.length} XSS payloads as text`, () => {
    for (const payload of XSS_PAYLOADS) {
      it(payload, () => {
        const container = render(payload);
        assertOnlyAllowedMarkup(container);
        assert.ok(container.textContent?.includes('alert') || !payload.includes('alert'), 'payload text was dropped');
        if (!/[`*[@]|https?:/u.test(payload)) assert.strictEqual(container.textContent, payload.replace(/\n/gu, ''));
      });
    }
  });

  it('renders XSS payloads given as a username, and as a reply\'s quoted name and text, as text', () => {
    const doc = newDocument();
    for (const payload of XSS_PAYLOADS) {
      const replyTo = { id: 'cd', username: payload, text: payload.slice(0, 100) };
      const item = { id: 'ab', username: payload, timestamp: 0, text: 'hi', own: false, status: 'sent' as const, replyTo };
      const row = renderRow(doc, { kind: 'message', key: 'ab', item, head: true }, { me: 'dana', now: 0, firstUnread: null, highlighted: null, reactions: () => [] });
      assert.strictEqual(row.querySelector('.author')?.textContent, payload);
      assert.strictEqual(row.querySelector('.reply-quote .reply-author')?.textContent, payload);
      assert.strictEqual(row.querySelector('.reply-quote .reply-text')?.textContent, replyTo.text || 'code snippet');
      const tags = Array.from(row.querySelectorAll('*')).map((element) => element.tagName);
      // The buttons are the reply's quote and the message's actions.
      assert.deepStrictEqual([...new Set(tags)].sort(), ['BUTTON', 'DIV', 'P', 'SPAN', 'TIME']);
      for (const element of Array.from(row.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) assert.ok(!attribute.name.startsWith('on'), attribute.name);
      }
    }
  });
});
