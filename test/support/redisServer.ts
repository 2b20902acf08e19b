// A real redis-server (Debian's package, installed by .ci/run) for the cluster tests: on a free
// loopback port, in its own temporary directory, with the durability the README asks of a cluster
// (AOF, fsync on every write, no RDB snapshots). It can be killed and started again on the same port
// and directory, as an operator's restart would.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { within } from './rawClient';

/** A port the system has just handed out for 127.0.0.1 (free unless taken in the instant after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Everything it printed, for a failure's message. */
  output = '';

  private constructor(readonly port: number, readonly dir: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'secure-chat-redis-')));
    await server.restart();
    return server;
  }

  /** Starts it (again) on the same port and directory; resolves once it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', '',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const ready = new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        this.output += chunk.toString('utf8');
        if (this.output.includes('Ready to accept connections')) resolve();
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.once('error', reject);
      void this.exited.then(() => reject(new Error(`redis-server exited before it was ready: ${this.output}`)));
    });
    this.output = '';
    await within(ready, 10_000, 'redis-server to be ready');
  }

  /** kill -9: whatever it acknowledged must be in its AOF already (appendfsync always). */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await within(this.exited, 10_000, 'redis-server to exit');
    this.child = null;
  }

  /** Stops it for good and removes its directory. */
  async stop(): Promise<void> {
    if (this.child) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child?.kill('SIGKILL'), 5_000);
      await within(this.exited, 10_000, 'redis-server to stop');
      clearTimeout(killer);
      this.child = null;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
