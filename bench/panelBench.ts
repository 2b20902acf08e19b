// The chat panel in headless Chromium (the webview harness page with its fake host): time to the
// first painted screen of a 100k-message snapshot, and to append 1,000 messages after it.
import { launchChromium } from '../test/harness/browser';
import { startHarness } from '../test/webview-harness/serve';
import { Row, fixed } from './report';
import { median } from './stats';

const COUNT = 100_000;
const RUNS = 3;

interface PanelFigures {
  readonly firstScreenMs: number;
  readonly appendMs: number;
}

export async function panel(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const harness = await startHarness();
  const chromium = await launchChromium();
  const runs: PanelFigures[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh page each run, so no run inherits the previous one's heap.
      const page = await chromium.browser.newPage({ viewport: { width: 380, height: 820 } });
      await page.goto(`${harness.url}?theme=dark&scenario=bench`);
      await page.waitForSelector('.presence .online-summary');
      runs.push(await page.evaluate<PanelFigures>(`harness.bench(${COUNT})`));
      await page.close();
    }
  } finally {
    await chromium.stop();
    await harness.close();
  }
  const firstScreen = median(runs.map((r) => r.firstScreenMs));
  const append = median(runs.map((r) => r.appendMs));
  log(`  first screen (ms): ${runs.map((r) => fixed(r.firstScreenMs)).join(', ')}; append 1,000 (ms): ${runs.map((r) => fixed(r.appendMs)).join(', ')}`);
  return {
    rows: [
      { bench: 'panel (Chromium)', metric: `first screen of ${fixed(COUNT)} messages`, baseline: '', subject: `${fixed(firstScreen)} ms`, ratio: '', target: '' },
      { bench: 'panel (Chromium)', metric: 'append 1,000 messages', baseline: '', subject: `${fixed(append)} ms`, ratio: '', target: '' },
    ],
    details: { panel: runs },
  };
}
