import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { COMMAND_NAMES, commandId } from '../../../../src/host/rules/commandNames';

interface WalkthroughStep {
  description: string;
  media: { image?: string; markdown?: string };
  completionEvents: string[];
}

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    walkthroughs: { steps: WalkthroughStep[] }[];
  };
}

const root = path.join(__dirname, '..', '..', '..', '..', '..');

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

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

  it('cover every command the walkthrough links or waits for, and its media ship', () => {
    const known = new Set<string>(COMMAND_NAMES.map(commandId));
    const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.strictEqual(steps.length, 3);
    const linked = steps.flatMap((step) => [...step.description.matchAll(/\(command:([\w.]+)\)/gu)].map((match) => match[1]));
    const awaited = steps.flatMap((step) => step.completionEvents.map((event) => event.replace(/^onCommand:/u, '')));
    assert.deepStrictEqual([...linked, ...awaited].filter((command) => !known.has(command)), []);
    for (const step of steps) {
      const media = step.media.image ?? step.media.markdown ?? '';
      assert.ok(fs.existsSync(path.join(root, media)), `${media} exists`);
      assert.match(media, /^(media|docs\/images)\//u, `${media} is in a folder .vscodeignore ships`);
    }
  });
});
