// The small markdown subset chat messages use: fenced code blocks, inline code, **bold**, *italics*,
// [links](https://…), bare http(s) URLs and @mentions. Parsing yields plain data; rendering builds
// DOM nodes with createElement/textContent only, so no text a sender wrote is ever parsed as HTML.
import { isWebLink } from '../protocol/panel';
import { findMentions } from '../protocol/mentions';

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'strong' | 'em'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly url: string; readonly children: readonly Inline[] }
  | { readonly kind: 'mention'; readonly text: string };

export type Block =
  | { readonly kind: 'paragraph'; readonly lines: readonly (readonly Inline[])[] }
  | { readonly kind: 'code'; readonly code: string };

/** An opening fence; its language word is accepted and ignored (there is no highlighting). */
const FENCE = /^\s*```\s*[\w+#.-]*\s*$/u;

/** Splits text into fenced code blocks and paragraphs (blank-line separated). An unclosed fence runs to the end. */
export function parseBlocks(text: string, me: string | null): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', lines: paragraph.map((line) => parseInline(line, me)) });
    paragraph = [];
  };
  const lines = text.split(/\r?\n/u);
  for (let i = 0; i < lines.length; i++) {
    if (FENCE.test(lines[i])) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```\s*$/u.test(lines[i]); i++) code.push(lines[i]);
      blocks.push({ kind: 'code', code: code.join('\n') });
    } else if (lines[i].trim() === '') {
      flush();
    } else {
      paragraph.push(lines[i]);
    }
  }
  flush();
  return blocks;
}

const LINK = /^\[([^\]\n]+)\]\((\S+?)\)/u;
const BARE_URL = /^https?:\/\/[^\s<>]+/iu;
/** Punctuation that usually ends a sentence rather than a URL. */
const URL_TRAILER = /[.,;:!?'")\]]+$/u;

/** Emphasis closes at the next `marker` that follows a non-space character. */
function closingMarker(text: string, from: number, marker: string): number {
  if (from >= text.length || /\s/u.test(text[from])) return -1;
  for (let end = text.indexOf(marker, from + 1); end !== -1; end = text.indexOf(marker, end + 1)) {
    if (!/\s/u.test(text[end - 1])) return end;
  }
  return -1;
}

/** Inline markup of one line. `me` marks mentions of the current user; links never nest. */
export function parseInline(text: string, me: string | null, inLink = false): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const pushPlain = (): void => {
    if (plain) out.push(...splitMentions(plain, me));
    plain = '';
  };
  for (let i = 0; i < text.length;) {
    const rest = text.slice(i);
    if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        pushPlain();
        out.push({ kind: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    const marker = rest.startsWith('**') ? '**' : text[i] === '*' ? '*' : null;
    if (marker) {
      const end = closingMarker(text, i + marker.length, marker);
      if (end !== -1) {
        pushPlain();
        const children = parseInline(text.slice(i + marker.length, end), me, inLink);
        out.push({ kind: marker === '**' ? 'strong' : 'em', children });
        i = end + marker.length;
        continue;
      }
    }
    if (!inLink) {
      const link = LINK.exec(rest);
      if (link && isWebLink(link[2])) {
        pushPlain();
        out.push({ kind: 'link', url: link[2], children: parseInline(link[1], me, true) });
        i += link[0].length;
        continue;
      }
      const bare = /\w$/u.test(plain) ? null : BARE_URL.exec(rest);
      const url = bare?.[0].replace(URL_TRAILER, '');
      if (url && isWebLink(url)) {
        pushPlain();
        out.push({ kind: 'link', url, children: [{ kind: 'text', text: url }] });
        i += url.length;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  pushPlain();
  return out;
}

function splitMentions(text: string, me: string | null): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const [start, end] of me ? findMentions(text, me) : []) {
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'mention', text: text.slice(start, end) });
    last = end;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** Builds DOM for parsed inline nodes. Links carry their URL in href for hover and keyboard; clicks go to the host. */
function renderInline(doc: Document, nodes: readonly Inline[], parent: Node): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        parent.appendChild(doc.createTextNode(node.text));
        break;
      case 'code':
      case 'mention': {
        const element = doc.createElement(node.kind === 'code' ? 'code' : 'span');
        if (node.kind === 'mention') element.className = 'mention';
        element.textContent = node.text;
        parent.appendChild(element);
        break;
      }
      case 'strong':
      case 'em':
      case 'link': {
        const element = doc.createElement(node.kind === 'link' ? 'a' : node.kind);
        if (node.kind === 'link') element.setAttribute('href', node.url);
        renderInline(doc, node.children, element);
        parent.appendChild(element);
        break;
      }
    }
  }
}

/** The message text as DOM: <p> per paragraph with <br> between lines, <pre><code> per fenced block. */
export function renderMarkdown(doc: Document, text: string, me: string | null): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const block of parseBlocks(text, me)) {
    if (block.kind === 'code') {
      fragment.appendChild(renderCodeBlock(doc, block.code));
      continue;
    }
    const paragraph = doc.createElement('p');
    block.lines.forEach((line, index) => {
      if (index > 0) paragraph.appendChild(doc.createElement('br'));
      renderInline(doc, line, paragraph);
    });
    fragment.appendChild(paragraph);
  }
  return fragment;
}

/** A code block; shared with snippet messages. */
export function renderCodeBlock(doc: Document, code: string): HTMLElement {
  const pre = doc.createElement('pre');
  const element = doc.createElement('code');
  element.textContent = code;
  pre.appendChild(element);
  return pre;
}
