// Renders media/icon.png (the 128×128 marketplace icon) from media/icon.svg with the system
// Chromium: the outline glyph in white on a rounded blue tile. Run with `npm run icon` when the SVG
// changes; the PNG is committed because packaging must not need a browser.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium } from './browser';
import { repoRoot } from './codeServer';

const SIZE = 128;

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(repoRoot, 'media', 'icon.svg'), 'utf8').replace(/width="24" height="24"/u, 'width="88" height="88"');
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">
<div id="icon" style="width:${SIZE}px;height:${SIZE}px;border-radius:28px;display:flex;align-items:center;justify-content:center;
color:#fff;background:linear-gradient(135deg,#2f74c0,#1b4f8c)">${svg}</div></body></html>`);
    const file = path.join(repoRoot, 'media', 'icon.png');
    await page.locator('#icon').screenshot({ path: file, omitBackground: true });
    console.log(`wrote ${path.relative(repoRoot, file)}`);
  } finally {
    await chromium.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
