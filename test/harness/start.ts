// `npm start`: opens the built extension in a real VS Code. Desktop VS Code when `code` is on PATH;
// otherwise the offline code-server (installed into the cache on first use) on 127.0.0.1, port
// SECURE_CHAT_PORT or 8765, with this folder open and the extension loaded from source.
// Ctrl+C stops everything it started.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, startCodeServer } from './codeServer';
import { spawnGroup } from './processes';

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((dir) => path.join(dir, command))
    .find((file) => fs.existsSync(file));
}

async function main(): Promise<number | null> {
  const code = onPath('code');
  if (code) {
    console.log('Opening desktop VS Code with the extension loaded (Ctrl+C to stop)');
    const window = spawnGroup(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, repoRoot], { stdio: 'inherit' });
    return window.exited;
  }
  const server = await startCodeServer({ port: Number(process.env.SECURE_CHAT_PORT || 8765) });
  console.log(`\nSecure Chat in VS Code (code-server): open\n\n  ${server.workbenchUrl({ folder: repoRoot })}\n`);
  console.log('The Secure Chat icon is in the activity bar. Ctrl+C stops the server.');
  return server.exited;
}

main().then(
  (code) => process.exit(code ?? 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
