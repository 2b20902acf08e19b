// The message "Send Selection to Chat" sends: the selected code with its language, path and lines.
// Free of the vscode API so the rules are unit-tested; the command gathers the inputs.
import type { MessageBody } from '../../protocol/body';
import { isWorkspaceRelativePath } from '../../protocol/panel';

export interface SelectionInput {
  readonly code: string;
  readonly languageId: string;
  /** vscode.workspace.asRelativePath(uri, false): relative inside the workspace, absolute outside. */
  readonly relativePath: string;
  /** 0-based, as vscode.Selection has them. */
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

/**
 * A selection that ends at the start of a line (whole lines selected) does not include that line.
 * A file outside the workspace is named by its file name only: its absolute path means nothing to a
 * teammate and tells more about this machine than it needs to.
 */
export function snippetBody(input: SelectionInput): MessageBody {
  const startLine = input.start.line + 1;
  const lastLine = input.end.character === 0 && input.end.line > input.start.line ? input.end.line : input.end.line + 1;
  const slashed = input.relativePath.replace(/\\/gu, '/');
  const path = isWorkspaceRelativePath(slashed) ? slashed : slashed.split('/').filter(Boolean).pop() ?? 'untitled';
  return { text: '', snippet: { code: input.code, language: input.languageId, path, startLine, endLine: Math.max(startLine, lastLine) } };
}
