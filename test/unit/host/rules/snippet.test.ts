import * as assert from 'assert';
import { snippetBody } from '../../../../src/host/rules/snippet';

describe('snippet body', () => {
  it('lines are 1-based and inclusive, a path outside the workspace is the file name', () => {
    const body = snippetBody({ code: 'a\nb\n', languageId: 'typescript', relativePath: 'src\\app.ts', start: { line: 4, character: 0 }, end: { line: 6, character: 0 } });
    assert.deepStrictEqual(body, { text: '', snippet: { code: 'a\nb\n', language: 'typescript', path: 'src/app.ts', startLine: 5, endLine: 6 } });
    const outside = snippetBody({ code: 'x', languageId: 'plaintext', relativePath: '/home/me/notes.txt', start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.deepStrictEqual(outside.snippet, { code: 'x', language: 'plaintext', path: 'notes.txt', startLine: 1, endLine: 1 });
  });
});
