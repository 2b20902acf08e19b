// The snippet "Send Selection to Secure Chat" attaches to the composer: the selected code with its
// language, path and lines. Free of the vscode API so the rules are unit-tested; the command gathers
// the inputs.
import { PanelSnippet, snippetPath } from '../../protocol/panel';

export interface SelectionInput {
  readonly code: string;
  /** The text of the selection's first line before the selection starts ('' when it starts the line). */
  readonly before: string;
  readonly languageId: string;
  /** vscode.workspace.asRelativePath(uri, false): relative inside the workspace, absolute outside. */
  readonly relativePath: string;
  /** 0-based, as vscode.Selection has them. */
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

const BLANK = /^\s*$/u;

/**
 * The code as a teammate should read it, and how many selected lines it covers. A selection that
 * starts after its line's indentation (as a double click or Shift+End gives) keeps that indentation,
 * so the first line lines up with the rest. Selected lines at the end that hold only whitespace (a
 * drag that ends in the next line's indentation, or at its start) are not part of the snippet: the
 * label names the last line with code.
 */
function trimmedCode(code: string, before: string): { code: string; lines: number } {
  const lines = code.split('\n');
  let dropped = 0;
  while (lines.length > 1 && BLANK.test(lines[lines.length - 1])) {
    lines.pop();
    dropped += 1;
  }
  const indentation = /^[ \t]*/u.exec(before)?.[0] ?? '';
  return { code: `${indentation}${lines.join('\n')}${dropped > 0 ? '\n' : ''}`, lines: lines.length };
}

/**
 * A file outside the workspace is named by its file name only: its absolute path means nothing to a
 * teammate and tells more about this machine than it needs to.
 */
export function selectionSnippet(input: SelectionInput): PanelSnippet {
  const startLine = input.start.line + 1;
  const { code, lines } = trimmedCode(input.code, input.before);
  const path = snippetPath(input.relativePath.replace(/\\/gu, '/'));
  return { code, language: input.languageId, path, startLine, endLine: startLine + lines - 1 };
}
