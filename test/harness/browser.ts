// Debian's Chromium driven by playwright-core. We start Chromium ourselves, in its own process
// group, and attach over CDP, so that the group can be killed on every exit path like code-server's
// (playwright's own launch hides the PID). Never `playwright install`: it downloads a browser.
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { makeScratch, spawnGroup } from './processes';

const executable = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags for a closed network: without them Chromium keeps trying Google's hosts. */
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--window-size=1280,800',
  '--remote-debugging-port=0',
];

export interface Chromium {
  readonly browser: Browser;
  stop(): Promise<void>;
}

/** Resolves with the DevTools endpoint Chromium prints on stderr once it listens. */
function devToolsEndpoint(stderr: NodeJS.ReadableStream, exited: Promise<number | null>, timeoutMs = 30000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools endpoint within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    // Keeps draining stderr after the endpoint is found so that Chromium never blocks on a full pipe.
    stderr.on('data', (chunk: Buffer) => {
      if (found) return;
      seen += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        found = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before listening:\n${seen}`));
    });
  });
}

export async function launchChromium(): Promise<Chromium> {
  if (!fs.existsSync(executable)) {
    throw new Error(`No browser at ${executable}. Install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const root = makeScratch('secure-chat-chromium-');
  const group = spawnGroup(executable, [...flags, `--user-data-dir=${path.join(root, 'profile')}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Chromium writes its crash folder under HOME.
    env: { ...process.env, HOME: root },
  });
  try {
    const endpoint = await devToolsEndpoint(group.child.stderr!, group.exited);
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      async stop() {
        await browser.close();
        await group.stop();
      },
    };
  } catch (error) {
    await group.stop();
    throw error;
  }
}
