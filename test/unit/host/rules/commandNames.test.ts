import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMAND_NAMES, commandId } from '../../../../src/host/rules/commandNames';

interface Manifest {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('command names', () => {
  it('are exactly the commands package.json contributes', () => {
    assert.deepStrictEqual(manifest.contributes.commands.map((c) => c.command).sort(), COMMAND_NAMES.map(commandId).sort());
  });

  it('cover every command a menu of package.json names', () => {
    const known = new Set<string>(COMMAND_NAMES.map(commandId));
    const named = Object.values(manifest.contributes.menus).flat().map((entry) => entry.command);
    assert.deepStrictEqual(named.filter((command) => !known.has(command)), []);
    assert.ok(named.length > 0);
  });
});
