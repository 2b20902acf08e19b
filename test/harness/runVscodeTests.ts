// Offline host of the extension-host suite: code-server runs test/vscode/index.js inside its real
// extension host (through the workbench `payload`), Chromium holds the window, and VS Code reports
// the end of run() by calling window.codeAutomationExit(code) in the page. Prints mocha's report.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';
import { makeScratch } from './processes';
import { readTally, TALLY_ENV } from './tally';
import { withTimeout } from './timeout';
import { REPORT_ENV } from '../vscode/index';

const RUN_TIMEOUT_MS = 180000;

async function main(): Promise<number> {
  const scratch = makeScratch('secure-chat-vscode-tests-');
  const report = path.join(scratch, 'report.txt');
  const tallyFile = process.env[TALLY_ENV] || path.join(scratch, 'tally.json');
  const server = await startCodeServer({ env: { [REPORT_ENV]: report, [TALLY_ENV]: tallyFile } });
  const chromium = await launchChromium().catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    const page = await chromium.browser.newPage();
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    // Must be in place before the workbench loads: VS Code calls it when run() settles.
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.goto(server.workbenchUrl({ extensionTestsPath: path.join(__dirname, '..', 'vscode', 'index.js') }));
    const code = await withTimeout(exited, RUN_TIMEOUT_MS, `the extension-host suite did not finish within ${RUN_TIMEOUT_MS / 1000} s`);
    if (fs.existsSync(report)) process.stdout.write(fs.readFileSync(report, 'utf8'));
    const tally = readTally(tallyFile);
    if (!tally) {
      console.error(`The suite reported no result (exit ${code}); code-server's log:\n${fs.readFileSync(server.log, 'utf8')}`);
      return 1;
    }
    return code === 0 && tally.failures === 0 ? 0 : 1;
  } finally {
    await chromium.stop();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
