// Entry of the extension-host suite: VS Code loads this module (extensionTestsPath) inside the real
// extension host and awaits run(). It discovers every compiled test/vscode/**/*.test.js beside it.
// Under the offline host the report goes to the file named by REPORT_ENV, because stdout would only
// reach the browser console; the counts go to the tally file (see ../harness/reporter).
import Mocha from 'mocha';
import TallyReporter from '../harness/reporter';
import { testFiles } from '../harness/testFiles';

export const REPORT_ENV = 'SECURE_CHAT_TEST_REPORT';

export function run(): Promise<void> {
  const output = process.env[REPORT_ENV];
  const mocha = new Mocha({ ui: 'bdd', timeout: 20000, color: !output, reporter: TallyReporter, reporterOptions: { output } });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}
