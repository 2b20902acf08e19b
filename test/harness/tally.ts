// Exact pass/fail counts of one mocha run, handed from the reporter (which may run inside VS Code's
// extension host) to whoever started the run, through a JSON file named by TALLY_ENV.
import * as fs from 'fs';

export const TALLY_ENV = 'SECURE_CHAT_TEST_TALLY';

export interface Tally {
  passes: number;
  failures: number;
}

export function writeTally(tally: Tally): void {
  const file = process.env[TALLY_ENV];
  if (file) fs.writeFileSync(file, JSON.stringify(tally));
}

/** The tally in `file`, or undefined when the run never got to write one. */
export function readTally(file: string): Tally | undefined {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Tally) : undefined;
}
