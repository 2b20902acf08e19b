// Serves the chat webview as VS Code would show it (the provider's page and CSP, dist/webview.js,
// media/chat.css) with a fake host script in front, on 127.0.0.1, for screenshots and timings.
import { randomBytes } from 'crypto';
import { buildSync } from 'esbuild';
import { readFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { viewHtml } from '../../src/host/rules/viewHtml';

const root = join(__dirname, '..', '..', '..');

function fakeHostScript(): string {
  const result = buildSync({ entryPoints: [join(root, 'test/webview-harness/page/fakeHost.ts')], bundle: true, write: false, format: 'iife', target: 'es2022' });
  return result.outputFiles[0].text;
}

export interface Harness {
  readonly url: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const fakeHost = fakeHostScript();
  const files: Record<string, [string, string]> = {
    '/dist/webview.js': ['text/javascript', 'dist/webview.js'],
    '/media/chat.css': ['text/css', 'media/chat.css'],
  };
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const origin = `http://${request.headers.host}`;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(viewHtml({ cspSource: origin, nonce: randomBytes(16).toString('base64'), scriptUris: ['/fake-host.js', '/dist/webview.js'], styleUri: '/media/chat.css' }));
    } else if (path === '/fake-host.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(fakeHost);
    } else if (files[path]) {
      response.writeHead(200, { 'content-type': files[path][0] });
      response.end(readFileSync(join(root, files[path][1])));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
