// The chat panel in headless Chromium (the webview harness page with its fake host): time to the
// first painted screen of a 100k-message snapshot, to append 1,000 messages after it, and to render
// one 32 KiB message of hostile markdown against plain text of the same length.
import { launchChromium } from '../test/harness/browser';
import { startHarness } from '../test/webview-harness/serve';
import { Row, fixed, ratio } from './report';
import { median } from './stats';

const COUNT = 100_000;
const RUNS = 3;
/** Renders of each 32 KiB message per page, interleaved plain / hostile. */
const MARKDOWN_RUNS = 9;
/** Hostile markdown may take at most this many times as long as plain text of its length. */
const MARKDOWN_TARGET = 2;

interface PanelFigures {
  readonly firstScreenMs: number;
  readonly appendMs: number;
}

interface MarkdownFigures {
  readonly length: number;
  readonly plainMs: number;
  readonly hostileMs: number;
}

export async function panel(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const harness = await startHarness();
  const chromium = await launchChromium();
  const runs: PanelFigures[] = [];
  const markdownRuns: MarkdownFigures[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh page each run, so no run inherits the previous one's heap.
      const page = await chromium.browser.newPage({ viewport: { width: 380, height: 820 } });
      await page.goto(`${harness.url}?theme=dark&scenario=bench`);
      await page.waitForSelector('.presence .online-summary');
      runs.push(await page.evaluate<PanelFigures>(`harness.bench(${COUNT})`));
      await page.close();
      const conversation = await chromium.browser.newPage({ viewport: { width: 380, height: 820 } });
      await conversation.goto(`${harness.url}?theme=dark&scenario=conversation`);
      await conversation.waitForSelector('.row.message');
      markdownRuns.push(await conversation.evaluate<MarkdownFigures>(`harness.markdownBench(${MARKDOWN_RUNS})`));
      await conversation.close();
    }
  } finally {
    await chromium.stop();
    await harness.close();
  }
  const firstScreen = median(runs.map((r) => r.firstScreenMs));
  const append = median(runs.map((r) => r.appendMs));
  const plain = median(markdownRuns.map((r) => r.plainMs));
  const hostile = median(markdownRuns.map((r) => r.hostileMs));
  log(`  32 KiB message, plain / hostile (ms): ${markdownRuns.map((r) => `${r.plainMs.toFixed(1)} / ${r.hostileMs.toFixed(1)}`).join(', ')}`);
  log(`  first screen (ms): ${runs.map((r) => fixed(r.firstScreenMs)).join(', ')}; append 1,000 (ms): ${runs.map((r) => fixed(r.appendMs)).join(', ')}`);
  return {
    rows: [
      { bench: 'panel (Chromium)', metric: `first screen of a ${fixed(COUNT)}-message snapshot`, baseline: '', subject: `${fixed(firstScreen)} ms`, ratio: '', target: '' },
      { bench: 'panel (Chromium)', metric: 'append 1,000 messages', baseline: '', subject: `${fixed(append)} ms`, ratio: '', target: '' },
      {
        bench: 'panel (Chromium)', metric: `render a ${fixed(markdownRuns[0].length)}-char message: \`*a \` repeated vs plain text`,
        baseline: `${fixed(plain, 1)} ms`, subject: `${fixed(hostile, 1)} ms`, ratio: ratio(hostile, plain),
        target: `≤ ${MARKDOWN_TARGET}×`, met: hostile <= plain * MARKDOWN_TARGET,
      },
    ],
    details: { panel: runs, markdown: markdownRuns },
  };
}
