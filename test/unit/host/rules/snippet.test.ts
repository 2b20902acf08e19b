import * as assert from 'assert';
import { SelectionInput, snippetBody } from '../../../../src/host/rules/snippet';

const selection = (input: Partial<SelectionInput> & Pick<SelectionInput, 'code' | 'start' | 'end'>): SelectionInput =>
  ({ before: '', languageId: 'typescript', relativePath: 'src/app.ts', ...input });

describe('snippet body', () => {
  it('lines are 1-based and inclusive, a path outside the workspace is the file name', () => {
    const body = snippetBody({ code: 'a\nb\n', before: '', languageId: 'typescript', relativePath: 'src\\app.ts', start: { line: 4, character: 0 }, end: { line: 6, character: 0 } });
    assert.deepStrictEqual(body, { text: '', snippet: { code: 'a\nb\n', language: 'typescript', path: 'src/app.ts', startLine: 5, endLine: 6 } });
    const outside = snippetBody({ code: 'x', before: 'ab', languageId: 'plaintext', relativePath: '/home/me/notes.txt', start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.deepStrictEqual(outside.snippet, { code: 'x', language: 'plaintext', path: 'notes.txt', startLine: 1, endLine: 1 });
  });

  it('keeps the first line\'s indentation and leaves out a last line of whitespace only', () => {
    // From "if" (after two spaces) to the indentation of the closing brace, as a drag ends.
    const body = snippetBody(selection({
      code: 'if (width < 0) {\n    throw new Error(\'negative size\');\n  ',
      before: '  ',
      start: { line: 1, character: 2 },
      end: { line: 3, character: 2 },
    }));
    assert.deepStrictEqual(body.snippet, {
      code: '  if (width < 0) {\n    throw new Error(\'negative size\');\n', language: 'typescript', path: 'src/app.ts', startLine: 2, endLine: 3,
    });
  });

  it('indents a selection that starts after code by its line\'s indentation, and drops trailing blank lines', () => {
    const body = snippetBody(selection({ code: 'total(\n\t\titems)\n\n \t\n', before: '\tconst sum = ', start: { line: 9, character: 13 }, end: { line: 13, character: 0 } }));
    assert.deepStrictEqual(body.snippet, { code: '\ttotal(\n\t\titems)\n', language: 'typescript', path: 'src/app.ts', startLine: 10, endLine: 11 });
  });

  it('keeps a selection of whitespace alone as it is', () => {
    assert.deepStrictEqual(snippetBody(selection({ code: '   ', start: { line: 2, character: 0 }, end: { line: 2, character: 3 } })).snippet?.code, '   ');
  });
});
