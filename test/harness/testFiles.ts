import * as fs from 'fs';
import * as path from 'path';

/** Every compiled test file (`*.test.js`) below `dir`, sorted; none when `dir` does not exist. */
export function testFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}
