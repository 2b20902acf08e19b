// The chat webview's page. Kept free of the vscode API so tests and the screenshot harness serve
// exactly the page (and Content Security Policy) that VS Code shows.

export interface ViewPage {
  /** `webview.cspSource`: the only origin styles, fonts and images may come from. */
  readonly cspSource: string;
  /** Per-load random nonce; the only scripts that run carry it. */
  readonly nonce: string;
  readonly scriptUris: readonly string[];
  readonly styleUri: string;
  /** The user's language (`vscode.env.language`), and "Loading Secure Chat…" in it: shown before the first snapshot brings the panel's words. */
  readonly language?: string;
  readonly loadingText?: string;
}

/** Escapes a value placed in an attribute; the inputs are ours, but a URI may contain `&` or quotes. */
function attribute(value: string): string {
  return value.replace(/&/gu, '&amp;').replace(/"/gu, '&quot;').replace(/</gu, '&lt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function viewHtml(page: ViewPage): string {
  const scripts = page.scriptUris.map((uri) => `<script nonce="${attribute(page.nonce)}" src="${attribute(uri)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${attribute(page.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(page.styleUri)}">
<title>Secure Chat</title>
</head>
<body>
<main id="app"${page.loadingText === undefined ? '' : ` data-loading="${attribute(page.loadingText)}"`}></main>
${scripts}
</body>
</html>`;
}
