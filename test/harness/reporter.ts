// Mocha reporter for every suite of the project: mocha's spec output, then the closing line
// `N passed, N failed`, and the exact counts in the tally file (see ./tally) for the orchestrator.
// With the reporter option `output=<file>` the report goes to that file instead of stdout: inside
// VS Code's extension host stdout reaches only the browser console.
import * as fs from 'fs';
import Mocha from 'mocha';
import { format } from 'util';
import { Tally, writeTally } from './tally';

class TallyReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    const output: unknown = options.reporterOptions?.output;
    if (typeof output === 'string') {
      fs.writeFileSync(output, '');
      Mocha.reporters.Base.useColors = false;
      Mocha.reporters.Base.consoleLog = (...args: unknown[]) => fs.appendFileSync(output, `${format(...args)}\n`);
    }
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const tally: Tally = { passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 };
      Mocha.reporters.Base.consoleLog(`${tally.passes} passed, ${tally.failures} failed`);
      writeTally(tally);
    });
  }
}

// Mocha's --reporter loads a module whose export is the reporter class itself.
export = TallyReporter;
