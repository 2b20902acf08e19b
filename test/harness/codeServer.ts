// Starts the cached code-server on 127.0.0.1 with throw-away state: its own user data, extensions,
// XDG folders and HOME under a temp folder, so nothing is written into the user's configuration.
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { ensureCodeServer } from './install';
import { makeScratch, spawnGroup } from './processes';

/** The repository, which is the extension under test (this file runs from out/test/harness). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface CodeServer {
  readonly url: string;
  /** A folder opened as the workspace when a workbench URL names none. */
  readonly workspace: string;
  /** code-server's own log (the lookups of extension galleries and telemetry that fail offline are noise). */
  readonly log: string;
  /** The "Secure Chat" output channel's files, one per extension host started so far (a reload starts another), oldest first. */
  extensionLogs(): string[];
  /** Resolves when code-server exits. */
  readonly exited: Promise<number | null>;
  /** Workbench URL that loads the extension from source, and optionally runs an extension-host test module. */
  workbenchUrl(options?: { folder?: string; extensionTestsPath?: string }): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Fixed port (which must be free); any free one when absent. */
  port?: number;
  /** Extra environment for the server and so for the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Extra user settings, e.g. a free port for the extension's server. */
  settings?: Record<string, unknown>;
}

/** Checks that `port` is free (0: picks a free one) and returns it: a server already there would answer our health checks. */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error) => reject(new Error(`port ${port} on 127.0.0.1 is not free: ${error.message}`)));
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isHealthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(`${url}/healthz`, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      })
      .once('error', () => resolve(false));
  });
}

/** Polls /healthz until it answers, the server exits, or the time is up. */
async function waitHealthy(url: string, exited: Promise<number | null>, log: string, timeoutMs = 30000): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!(await isHealthy(url))) {
    if (gone || Date.now() > deadline) {
      const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`code-server ${gone ? 'exited' : 'did not become healthy'} at ${url}; its log ends:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const install = ensureCodeServer();
  const port = await freePort(options.port);
  const root = makeScratch('secure-chat-code-server-');
  const dir = (name: string): string => {
    const folder = path.join(root, name);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  };
  const userData = dir('user-data');
  fs.mkdirSync(path.join(userData, 'User'));
  // No welcome tab and no built-in AI chat panel in the way of the tests.
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, ...options.settings }),
  );
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, '');
  const workspace = dir('workspace');
  const log = path.join(root, 'code-server.log');
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const logFd = fs.openSync(log, 'w');
  const group = spawnGroup(
    install.node,
    [
      install.entry,
      '--config', config,
      '--bind-addr', host,
      '--auth', 'none',
      '--user-data-dir', userData,
      '--extensions-dir', dir('extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // Makes the workbench honour the `payload` query (extension development and test paths).
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, ...options.env, HOME: dir('home'), XDG_CONFIG_HOME: dir('xdg-config'), XDG_DATA_HOME: dir('xdg-data') },
    },
  );
  fs.closeSync(logFd);
  try {
    await waitHealthy(url, group.exited, log);
  } catch (error) {
    await group.stop();
    throw error;
  }
  const remote = (file: string): string => `vscode-remote://${host}${file}`;
  return {
    url,
    workspace,
    log,
    exited: group.exited,
    extensionLogs: () => extensionLogs(path.join(userData, 'logs')),
    stop: () => group.stop(),
    workbenchUrl({ folder = workspace, extensionTestsPath } = {}) {
      const payload: [string, string][] = [['extensionDevelopmentPath', remote(repoRoot)]];
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
  };
}

/** `logs/<session>/exthost<N>/<extension id>/*.log` under the user data folder, by session and host number. */
function extensionLogs(logsDir: string): string[] {
  const list = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
  const hostNumber = (name: string): number => Number(/^exthost(\d+)$/u.exec(name)?.[1] ?? NaN);
  return list(logsDir).flatMap((session) => list(path.join(logsDir, session))
    .filter((name) => Number.isInteger(hostNumber(name)))
    .sort((a, b) => hostNumber(a) - hostNumber(b))
    .flatMap((host) => {
      const dir = path.join(logsDir, session, host, 'secure-chat.secure-chat');
      return list(dir).filter((name) => name.endsWith('.log')).map((name) => path.join(dir, name));
    }));
}
