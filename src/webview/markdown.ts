// The small markdown subset chat messages use: fenced code blocks, inline code, **bold**, *italics*,
// [links](https://…), bare http(s) URLs and @mentions. markdown-it parses (its CommonMark rules are
// linear in the text: delimiter runs are paired with precomputed bounds, so hostile input such as
// `*a ` repeated costs no more than its length), every other rule is off (no raw HTML, headings,
// lists, images or entities), and its HTML renderer is never used: the tokens become DOM nodes
// here with createElement/textContent only, so no text a sender wrote is ever parsed as HTML.
// A message's text is at most 32 KiB (the view protocol refuses longer), which bounds the work.
import MarkdownIt from 'markdown-it';
import { isolate } from './dom';
import { isWebLink } from '../protocol/panel';
import { findMentions } from '../protocol/mentions';

/** Deepest emphasis nesting rendered as markup; deeper markers stay text (markdown-it's own bound). */
const MAX_NESTING = 20;

const parser = new MarkdownIt('zero', { html: false, linkify: false, typographer: false, maxNesting: MAX_NESTING })
  .enable(['fence', 'backticks', 'emphasis', 'link', 'newline']);
// Only web links become links; markdown-it leaves any other destination as literal text.
parser.validateLink = isWebLink;

/** A bare http(s) URL not glued to the word before it. */
const BARE_URL = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>]+/giu;
/** Punctuation that usually ends a sentence rather than a URL. */
const URL_TRAILER = /[.,;:!?'")\]]+$/u;

/** The message text as DOM: <p> per paragraph with <br> between lines, <pre><code> per fenced block. */
export function renderMarkdown(doc: Document, text: string, me: string | null): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  let paragraph: HTMLElement | null = null;
  for (const token of parser.parse(text, {})) {
    switch (token.type) {
      case 'paragraph_open':
        paragraph = fragment.appendChild(isolate(doc.createElement('p')));
        break;
      case 'inline':
        renderInline(doc, token.children ?? [], paragraph ?? fragment, me);
        break;
      case 'fence':
        // The fence's content ends with the newline before the closing fence.
        fragment.appendChild(renderCodeBlock(doc, token.content.replace(/\n$/u, '')));
        break;
    }
  }
  return fragment;
}

/** Builds DOM for one paragraph's tokens. Links carry their URL in href for hover and keyboard; clicks go to the host. */
function renderInline(doc: Document, tokens: readonly MarkdownIt.Token[], parent: Node, me: string | null): void {
  const open: Node[] = [parent];
  let inLink = false;
  for (const token of tokens) {
    const current = open[open.length - 1];
    switch (token.type) {
      case 'text':
        appendText(doc, current, token.content, me, inLink);
        break;
      case 'code_inline':
        current.appendChild(isolate(doc.createElement('code'))).textContent = token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        current.appendChild(doc.createElement('br'));
        break;
      case 'strong_open':
      case 'em_open':
        open.push(current.appendChild(isolate(doc.createElement(token.tag === 'strong' ? 'strong' : 'em'))));
        break;
      case 'link_open': {
        const url = String(token.attrGet('href') ?? '');
        // validateLink already refused other links; a second check costs nothing.
        if (isWebLink(url)) {
          const link = current.appendChild(isolate(doc.createElement('a')));
          link.setAttribute('href', url);
          open.push(link);
        } else {
          open.push(current);
        }
        inLink = true;
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 'link_close':
        if (open.length > 1) open.pop();
        if (token.type === 'link_close') inLink = false;
        break;
    }
  }
}

/** Plain text with bare URLs linked (not inside a link) and mentions of the current user marked. */
function appendText(doc: Document, parent: Node, text: string, me: string | null, inLink: boolean): void {
  let last = 0;
  for (const match of inLink ? [] : text.matchAll(BARE_URL)) {
    const url = match[0].replace(URL_TRAILER, '');
    if (!isWebLink(url)) continue;
    appendMentions(doc, parent, text.slice(last, match.index), me);
    const link = parent.appendChild(isolate(doc.createElement('a')));
    link.setAttribute('href', url);
    link.textContent = url;
    last = match.index + url.length;
  }
  appendMentions(doc, parent, text.slice(last), me);
}

function appendMentions(doc: Document, parent: Node, text: string, me: string | null): void {
  let last = 0;
  for (const [start, end] of me ? findMentions(text, me) : []) {
    if (start > last) parent.appendChild(doc.createTextNode(text.slice(last, start)));
    const mention = parent.appendChild(isolate(doc.createElement('span')));
    mention.className = 'mention';
    mention.textContent = text.slice(start, end);
    last = end;
  }
  if (last < text.length) parent.appendChild(doc.createTextNode(text.slice(last)));
}

/** A code block; shared with snippet messages. */
export function renderCodeBlock(doc: Document, code: string): HTMLElement {
  const pre = isolate(doc.createElement('pre'));
  const element = doc.createElement('code');
  element.textContent = code;
  pre.appendChild(element);
  return pre;
}
