import * as assert from 'assert';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';

const extensionId = 'secure-chat.secure-chat';

describe('extension', () => {
  let extension: vscode.Extension<TestApi | undefined>;

  before(async () => {
    const found = vscode.extensions.getExtension<TestApi | undefined>(extensionId);
    assert.ok(found, `${extensionId} is not installed in this VS Code`);
    extension = found;
    await extension.activate();
  });

  it('activates', () => {
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((entry) => entry.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('binds Open Chat to a key that no default VS Code keybinding uses', async () => {
    const ours = (extension.packageJSON.contributes.keybindings as { command: string; key: string }[]).filter((entry) => entry.command === 'secureChat.openChat');
    assert.deepStrictEqual(ours.map((entry) => entry.key), ['ctrl+alt+/']);
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const document = vscode.workspace.textDocuments.find((doc) => doc.uri.path.endsWith('keybindings.json') && doc.uri.scheme !== 'file');
    assert.ok(document, 'the default keybindings are open');
    const bindings = [...document.getText().matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/gu)].map(([, key, command]) => ({ key, command }));
    assert.ok(bindings.length > 500, `read ${bindings.length} default keybindings`);
    // The key itself, or the first key of a chord.
    const clashes = bindings.filter(({ key, command }) => command !== 'secureChat.openChat' && (key === 'ctrl+alt+/' || key.startsWith('ctrl+alt+/ ')));
    assert.deepStrictEqual(clashes, []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('round-trips a value through SecretStorage', async () => {
    const secrets = extension.exports?.secrets;
    assert.ok(secrets, 'activate() returned no SecretStorage in test mode');
    const key = 'secure-chat.test.roundTrip';
    await secrets.store(key, 'hunter2');
    try {
      assert.strictEqual(await secrets.get(key), 'hunter2');
    } finally {
      await secrets.delete(key);
    }
    assert.strictEqual(await secrets.get(key), undefined);
  });
});
