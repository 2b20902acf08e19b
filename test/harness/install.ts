// Installs code-server (a real VS Code that runs offline from the npm registry) and the Node 24 it
// requires into a per-user cache folder keyed by version, outside the repository. A finished install
// is marked by a file written last, so an interrupted one is never mistaken for complete.
// Run directly (`node out/test/harness/install.js`) it installs and prints where.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 declares engines.node 24; Node 20 cannot run it. The npm package ships the binary. */
const NODE_VERSION = '24.9.0';

export interface CodeServerInstall {
  /** The Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's entry script. */
  readonly entry: string;
}

const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'secure-chat-test');
const installDir = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
const marker = path.join(installDir, 'installed.json');
const markerText = JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION });

function layout(root: string): CodeServerInstall & { nodeDir: string } {
  const nodeDir = path.join(root, 'node', 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
  return {
    nodeDir,
    node: path.join(nodeDir, 'bin', 'node'),
    entry: path.join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function isComplete(): boolean {
  try {
    return fs.readFileSync(marker, 'utf8') === markerText;
  } catch {
    return false;
  }
}

/** npm install into `prefix` from a generated manifest that approves the packages' install scripts. */
function npmInstall(prefix: string, dependencies: Record<string, string>, env: NodeJS.ProcessEnv): void {
  fs.mkdirSync(prefix, { recursive: true });
  const manifest = {
    name: `secure-chat-test-${path.basename(prefix)}`,
    private: true,
    dependencies,
    // npm 11 warns about, and a later npm blocks, install scripts that are not approved.
    allowScripts: { 'code-server': true, argon2: true, node: true },
  };
  fs.writeFileSync(path.join(prefix, 'package.json'), JSON.stringify(manifest, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: prefix,
    env,
    stdio: 'inherit',
  });
}

/** Returns the cached install, doing the (about 3 minute, 1 GB) cold install first when needed. */
export function ensureCodeServer(): CodeServerInstall {
  if (isComplete()) return layout(installDir);
  // Build next to the final folder and rename at the end: a half-done install never sits at the final path.
  const staging = `${installDir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const staged = layout(staging);
  console.log(`Installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${installDir} (first run only, about 3 minutes)`);
  // Under `npm test` the outer npm exports its user agent (naming Node 20) as npm config, and
  // code-server's install script reads the Node version from it: let the inner npm state its own.
  const env = { ...process.env };
  delete env.npm_config_user_agent;
  try {
    npmInstall(path.join(staging, 'node'), { node: NODE_VERSION }, env);
    if (!fs.existsSync(staged.node)) throw new Error(`the node@${NODE_VERSION} package did not provide ${staged.node}`);
    // Node 24 first on PATH runs code-server's install scripts; its own headers stop node-gyp
    // from downloading them while it compiles the native modules that have no usable prebuilt.
    npmInstall(path.join(staging, 'code-server'), { 'code-server': CODE_SERVER_VERSION }, {
      ...env,
      PATH: `${path.dirname(staged.node)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: staged.nodeDir,
    });
    if (!fs.existsSync(staged.entry)) throw new Error(`the code-server package did not provide ${staged.entry}`);
    fs.writeFileSync(path.join(staging, path.basename(marker)), markerText);
    fs.rmSync(installDir, { recursive: true, force: true });
    fs.renameSync(staging, installDir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `code-server install failed: ${(error as Error).message}\n` +
        'It needs the npm registry and the Debian packages libkrb5-dev, g++, make and python3 (apt-get install libkrb5-dev g++ make python3).',
    );
  }
  return layout(installDir);
}

if (require.main === module) {
  console.log(`code-server ready: ${ensureCodeServer().entry}`);
}
