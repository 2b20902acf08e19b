// Desktop VS Code host of the extension-host suite (`npm run test:electron`), for machines that can
// download VS Code. The offline host (`npm test`) runs the same compiled test/vscode files in code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/vscode/**/*.test.js',
  mocha: { ui: 'bdd', timeout: 20000 },
});
