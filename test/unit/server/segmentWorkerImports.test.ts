import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** Every compiled module `entry` requires, directly or not, within this project's own output. */
function localModules(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, specifier] of fs.readFileSync(entry, 'utf8').matchAll(/require\("(\.[^"]+)"\)/g)) {
    const base = path.resolve(path.dirname(entry), specifier);
    localModules(fs.existsSync(`${base}.js`) ? `${base}.js` : path.join(base, 'index.js'), seen);
  }
  return seen;
}

describe('the store worker threads\' modules', () => {
  // On Node 20 a worker that require()s the ES module @noble/curves can abort the whole process
  // (v8 IsGraphAsync); the workers read stored envelopes and verify nothing, so they need none of it.
  it('load no ES-module dependency: nothing they require reaches @noble/curves', () => {
    const entry = path.resolve(__dirname, '../../../src/server/segmentWorker.js');
    const offenders = [...localModules(entry)].filter((file) => /require\("@noble\//.test(fs.readFileSync(file, 'utf8')));
    assert.deepStrictEqual(offenders.map((file) => path.relative(path.dirname(entry), file)), []);
  });
});
