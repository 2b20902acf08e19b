// Page code is passed as strings: this file is compiled without the DOM library.
// Screenshots of the chat panel in the harness (dark, light, high contrast; conversation, offline,
// reconnecting) plus a few checks a person would make, and the scale timings.
// Usage: npm run screenshots  → test-results/webview/*.png and test-results/webview/bench.json
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { chromium, Page } from 'playwright-core';
import { startHarness } from './serve';

const out = join(__dirname, '..', '..', '..', 'test-results', 'webview');
const viewport = { width: 380, height: 820 };
/** The README's picture: a side bar's width and height. */
const readmeViewport = { width: 300, height: 733 };

async function open(page: Page, url: string, query: string): Promise<void> {
  await page.goto(`${url}?${query}`);
  await page.waitForSelector('.presence .online-summary');
  await page.waitForTimeout(200);
}

/**
 * What would spoil a still picture: one of `shown` not wholly in the list's view, a message's hover
 * bar showing (it covers the row above), or anything a reader should see (a snippet's reference, a
 * quote, a reaction, "edited", a name) under something else at its middle.
 */
function pictureProblems(page: Page, shown: readonly string[]): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const problems = [];
    const view = document.querySelector('.scroller').getBoundingClientRect();
    for (const selector of ${JSON.stringify(shown)}) {
      const inView = [...document.querySelectorAll(selector)].some((node) => {
        const box = node.getBoundingClientRect();
        return box.height > 0 && box.top >= view.top && box.bottom <= view.bottom;
      });
      if (!inView) problems.push('nothing in view: ' + selector);
    }
    for (const bar of document.querySelectorAll('.actions')) if (getComputedStyle(bar).display !== 'none') problems.push('a hover bar shows');
    for (const node of document.querySelectorAll('.reference, .reply-quote, .reaction, .edited-mark, .author')) {
      const box = node.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (top !== null && !node.contains(top)) problems.push('covered: ' + node.className + ' "' + node.textContent + '" under ' + top.className);
    }
    return problems;
  })()`);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const harness = await startHarness();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport });
    page.on('console', (message) => {
      if ((message.type() === 'error' || message.type() === 'warning') && !message.location().url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()} ${message.location().url}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => { problems.push(`dialog opened: ${dialog.message()}`); void dialog.dismiss(); });

    // The README's picture, copied to docs/images/conversation.png: the last screen of the
    // conversation (snippet, mention, reply, reactions, an edit), with the pointer off the messages.
    await page.setViewportSize(readmeViewport);
    await page.mouse.move(0, 0);
    await open(page, harness.url, 'theme=light&scenario=readme');
    const shown = ['.snippet .reference', '.row.mentions-me', '.reply-quote', '.reaction', '.edited-mark'];
    problems.push(...(await pictureProblems(page, shown)).map((problem) => `README picture: ${problem}`));
    await page.screenshot({ path: join(out, 'readme-conversation.png') });
    await page.setViewportSize(viewport);

    for (const theme of ['dark', 'light', 'hc']) {
      await open(page, harness.url, `theme=${theme}&scenario=conversation`);
      await page.screenshot({ path: join(out, `conversation-${theme}.png`) });
    }

    // Typing: Shift+Enter makes a new line, Enter sends; the message shows pending, then sent.
    await open(page, harness.url, 'theme=dark&scenario=conversation');
    await page.focus('.composer-input');
    await page.keyboard.type('Deploying now, @carol please watch **the dashboards**');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('link: https://example.com/status');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(out, 'sent-pending-dark.png') });
    await page.waitForTimeout(600);
    await page.click('.online-summary');
    await page.evaluate(`harness.toView({ type: 'presence', online: [{ name: 'alice', me: false }, { name: 'bob', me: false }, { name: 'carol', me: false }, { name: 'dana', me: true }], joined: 'carol' })`);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(out, 'sent-presence-dark.png') });
    await page.click('.reference');
    await page.click('.body a[href]');
    const posted = await page.evaluate<unknown[]>('harness.posted');
    writeFileSync(join(out, 'posted.json'), JSON.stringify(posted, null, 2));
    const imgs = await page.locator('.canvas img, .canvas script, .canvas svg, .canvas iframe').count();
    if (imgs > 0) problems.push(`${imgs} unexpected elements in the list`);

    // Keyboard focus is visible.
    await page.keyboard.press('Tab');
    await page.screenshot({ path: join(out, 'focus-dark.png') });

    // Scrolling to the top loads older history and keeps the reading position.
    await page.evaluate(`document.querySelector('.scroller').scrollTop = 0`);
    await page.waitForTimeout(600);
    await page.screenshot({ path: join(out, 'older-dark.png') });

    await open(page, harness.url, 'theme=dark&scenario=offline');
    await page.screenshot({ path: join(out, 'offline-dark.png') });
    await open(page, harness.url, 'theme=light&scenario=offline');
    await page.screenshot({ path: join(out, 'offline-light.png') });
    await open(page, harness.url, 'theme=dark&scenario=reconnecting');
    await page.screenshot({ path: join(out, 'reconnecting-dark.png') });

    await open(page, harness.url, 'theme=dark&scenario=bench');
    const figures = await page.evaluate<Record<string, number>>('harness.bench(100000)');
    await page.screenshot({ path: join(out, 'bench-100k-dark.png') });
    writeFileSync(join(out, 'bench.json'), JSON.stringify(figures, null, 2));
    console.log(JSON.stringify(figures));
  } finally {
    await browser.close();
    await harness.close();
  }
  for (const problem of problems) console.log(`PROBLEM ${problem}`);
  console.log(`screenshots in ${out}`);
  if (problems.length > 0) process.exitCode = 1;
}

void main();
