// The localisation paths: the manifest's strings through package.nls.json (with a second language
// to prove the path), the host's vscode.l10n.t strings through the l10n bundles, and the panel's
// words (protocol/panelText.ts), which the host translates the same way and sends to the panel.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PANEL_TEXT } from '../../src/protocol/panelText';

const root = path.join(__dirname, '..', '..', '..');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
const LANGUAGES = ['de'];

/** Every %key% the manifest names. */
function manifestKeys(): string[] {
  return [...fs.readFileSync(path.join(root, 'package.json'), 'utf8').matchAll(/"%([\w.]+)%"/gu)].map((match) => match[1]);
}

/**
 * The literal first argument of every vscode.l10n.t call in src/, and of every call of a rule's
 * Translate `t` in src/host (src/host/rules/words.ts): the host passes those to vscode.l10n.t.
 */
function hostStrings(): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (file.endsWith('.ts')) {
        for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:vscode\.l10n\.t|(?<![\w.])t)\(\s*'((?:[^'\\]|\\.)*)'/gu)) found.push(match[1].replace(/\\'/gu, '\''));
      }
    }
  };
  visit(path.join(root, 'src'));
  return found;
}

/** The webview's source, where say() names the panel's texts by key (typed as PanelTextKey, so each exists). */
/** The panel's code: src/webview, and protocol/panel.ts, whose input problems it says in the panel's words. */
function webviewSource(): string {
  const dir = path.join(root, 'src', 'webview');
  const files = [...fs.readdirSync(dir).filter((file) => file.endsWith('.ts')).map((file) => path.join(dir, file)), path.join(root, 'src', 'protocol', 'panel.ts')];
  return files.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/gu)].map((match) => match[0]).sort();

describe('localisation', () => {
  it('has every manifest string in package.nls.json, none left over, and each in every language', () => {
    const keys = manifestKeys();
    assert.ok(keys.length >= 30, `${keys.length} manifest strings`);
    const english = readJson('package.nls.json') as Record<string, string>;
    assert.deepStrictEqual(Object.keys(english).sort(), [...new Set(keys)].sort());
    for (const language of LANGUAGES) {
      const bundle = readJson(`package.nls.${language}.json`) as Record<string, string>;
      assert.deepStrictEqual(Object.keys(bundle).sort(), Object.keys(english).sort(), language);
      for (const [key, text] of Object.entries(bundle)) assert.ok(text.trim().length > 0, `${language} ${key}`);
    }
  });

  it('translates every host string passed to vscode.l10n.t, with the same placeholders, and nothing unused', () => {
    assert.strictEqual((readJson('package.json') as { l10n?: string }).l10n, './l10n');
    // The panel's English texts are keys of the bundles too: the host passes each to vscode.l10n.t.
    const used = [...new Set([...hostStrings(), ...Object.values(PANEL_TEXT)])].sort();
    assert.ok(used.length >= 90, `${used.length} host strings`);
    for (const language of LANGUAGES) {
      const bundle = readJson(`l10n/bundle.l10n.${language}.json`) as Record<string, string>;
      assert.deepStrictEqual(Object.keys(bundle).sort(), used, language);
      for (const [english, translated] of Object.entries(bundle)) assert.deepStrictEqual(placeholders(translated), placeholders(english), `${language}: ${english}`);
    }
  });

  it('sends the panel every text it says, in every language, and none it never says', () => {
    const source = webviewSource();
    assert.deepStrictEqual(Object.keys(PANEL_TEXT).filter((key) => !source.includes(`'${key}'`)), [], 'in PANEL_TEXT but never named in the webview');
    for (const language of LANGUAGES) {
      const bundle = readJson(`l10n/bundle.l10n.${language}.json`) as Record<string, string>;
      assert.deepStrictEqual(Object.values(PANEL_TEXT).filter((english) => !(english in bundle)), [], language);
    }
  });
});
