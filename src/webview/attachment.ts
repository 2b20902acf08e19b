// The snippet "Send Selection to Chat" puts above the message box before it is sent: its file and
// lines, its first few lines of code, and a button that takes it out again. Text only, never markup:
// the path and the code are shown as they are.
import type { PanelSnippet } from '../protocol/panel';
import { button, element, isolate } from './dom';
import { lineRange } from './messageView';
import { say } from './words';

/** Lines of code the preview shows; the rest is counted under them. */
export const PREVIEW_LINES = 4;

/** The preview's lines: a last line break ends the last line, it starts no empty one. */
function codeLines(code: string): string[] {
  const lines = code.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function renderAttachment(doc: Document, snippet: PanelSnippet, remove: () => void): HTMLElement {
  const box = element(doc, 'div', 'attachment');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', say('attachmentLabel'));
  const header = element(doc, 'div', 'attachment-header');
  const reference = element(doc, 'span', 'attachment-reference');
  reference.append(isolate(element(doc, 'span', 'path', snippet.path)), `:${lineRange(snippet)}`);
  header.appendChild(reference);
  if (snippet.language) header.appendChild(isolate(element(doc, 'span', 'language', snippet.language)));
  const close = button(doc, '×', 'attachment-remove', remove);
  close.title = say('removeSnippet');
  close.setAttribute('aria-label', say('removeSnippet'));
  header.appendChild(close);
  const lines = codeLines(snippet.code);
  const code = element(doc, 'pre', 'attachment-code');
  code.appendChild(element(doc, 'code', '', lines.slice(0, PREVIEW_LINES).join('\n')));
  box.append(header, code);
  const hidden = lines.length - PREVIEW_LINES;
  if (hidden > 0) box.appendChild(element(doc, 'div', 'attachment-more', hidden === 1 ? say('moreLinesOne') : say('moreLines', hidden.toLocaleString('en-US'))));
  return box;
}
