import * as assert from 'assert';
import { SelectionInput, selectionSnippet } from '../../../../src/host/rules/snippet';
import { parseHostToView } from '../../../../src/protocol/panel';

const selection = (input: Partial<SelectionInput> & Pick<SelectionInput, 'code' | 'start' | 'end'>): SelectionInput =>
  ({ before: '', languageId: 'typescript', relativePath: 'src/app.ts', ...input });

describe('selection snippet', () => {
  it('lines are 1-based and inclusive, a path outside the workspace is the file name', () => {
    const body = selectionSnippet({ code: 'a\nb\n', before: '', languageId: 'typescript', relativePath: 'src\\app.ts', start: { line: 4, character: 0 }, end: { line: 6, character: 0 } });
    assert.deepStrictEqual(body, { code: 'a\nb\n', language: 'typescript', path: 'src/app.ts', startLine: 5, endLine: 6 });
    const outside = selectionSnippet({ code: 'x', before: 'ab', languageId: 'plaintext', relativePath: '/home/me/notes.txt', start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.deepStrictEqual(outside, { code: 'x', language: 'plaintext', path: 'notes.txt', startLine: 1, endLine: 1 });
  });

  it('keeps the first line\'s indentation and leaves out a last line of whitespace only', () => {
    // From "if" (after two spaces) to the indentation of the closing brace, as a drag ends.
    const body = selectionSnippet(selection({
      code: 'if (width < 0) {\n    throw new Error(\'negative size\');\n  ',
      before: '  ',
      start: { line: 1, character: 2 },
      end: { line: 3, character: 2 },
    }));
    assert.deepStrictEqual(body, {
      code: '  if (width < 0) {\n    throw new Error(\'negative size\');\n', language: 'typescript', path: 'src/app.ts', startLine: 2, endLine: 3,
    });
  });

  it('indents a selection that starts after code by its line\'s indentation, and drops trailing blank lines', () => {
    const body = selectionSnippet(selection({ code: 'total(\n\t\titems)\n\n \t\n', before: '\tconst sum = ', start: { line: 9, character: 13 }, end: { line: 13, character: 0 } }));
    assert.deepStrictEqual(body, { code: '\ttotal(\n\t\titems)\n', language: 'typescript', path: 'src/app.ts', startLine: 10, endLine: 11 });
  });

  it('keeps a selection of whitespace alone as it is', () => {
    assert.deepStrictEqual(selectionSnippet(selection({ code: '   ', start: { line: 2, character: 0 }, end: { line: 2, character: 3 } })).code, '   ');
  });

  it('attaches the selection of a file whose name the view cannot offer to open, its path shown as text', () => {
    for (const [relativePath, path] of [['src/a(b).ts', 'src/a(b).ts'], ['app/[slug]/page.tsx', 'app/[slug]/page.tsx'], ['notes/a:b.md', 'notes/a:b.md'], ['/home/me/a(b).ts', 'a(b).ts']]) {
      const snippet = selectionSnippet(selection({ code: 'x', relativePath, start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }));
      assert.strictEqual(snippet.path, path, relativePath);
      assert.deepStrictEqual(parseHostToView({ type: 'attachSnippet', snippet }), { ok: true, value: { type: 'attachSnippet', snippet } }, relativePath);
    }
  });
});
