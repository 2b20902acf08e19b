import * as assert from 'assert';
import { viewHtml } from '../../../../src/host/rules/viewHtml';

describe('the chat view page', () => {
  const page = { cspSource: 'vscode-webview://x', nonce: 'n0nce', scriptUris: ['https://x/webview.js'], styleUri: 'https://x/chat.css' };

  it('names the user\'s language and carries the loading words in it, escaped, for before the first snapshot', () => {
    const html = viewHtml({ ...page, language: 'de', loadingText: 'Secure Chat wird "geladen" <…>' });
    assert.match(html, /<html lang="de">/u);
    assert.match(html, /<main id="app" data-loading="Secure Chat wird &quot;geladen&quot; &lt;…>"><\/main>/u);
  });

  it('is English with the panel\'s own loading words when the host gives none', () => {
    const html = viewHtml(page);
    assert.match(html, /<html lang="en">/u);
    assert.match(html, /<main id="app"><\/main>/u);
  });
});

describe('the chat view page\'s Content Security Policy', () => {
  it('loads nothing from anywhere but the extension: no network, frames, media or images from elsewhere', () => {
    const html = viewHtml({ cspSource: 'vscode-webview://x', nonce: 'n0nce', scriptUris: [], styleUri: 'https://x/chat.css' });
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/u.exec(html)?.[1];
    assert.strictEqual(policy, "default-src 'none'; style-src vscode-webview://x; font-src vscode-webview://x; img-src vscode-webview://x; script-src 'nonce-n0nce'");
  });
});
