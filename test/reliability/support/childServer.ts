// The parent's side of serverChild.ts: start it, ask for its memory, wait for its log events, stop it.
import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import type { Limits } from '../../../src/server/config';
import { within } from '../../support/rawClient';
import { tempDataDir } from '../../support/testServer';
import type { ChildMessage, ParentMessage } from './serverChild';

export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export class ChildServer {
  private readonly events: string[] = [];
  private readonly listeners = new Set<(message: ChildMessage) => void>();
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess, readonly address: string) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(limits: Partial<Limits>, dataDir = tempDataDir()): Promise<ChildServer> {
    const child = fork(path.join(__dirname, 'serverChild.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const listening = within(new Promise<string>((resolve, reject) => {
      child.on('message', (message: ChildMessage) => message.type === 'listening' && resolve(message.address));
      child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before listening`)));
    }), 10_000, 'the server process to listen');
    child.send({ type: 'start', dataDir, limits } satisfies ParentMessage);
    const server = new ChildServer(child, await listening);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'log') server.events.push(message.event);
      for (const listener of server.listeners) listener(message);
    });
    return server;
  }

  private next<T extends ChildMessage>(match: (message: ChildMessage) => message is T, what: string, ms = 10_000): Promise<T> {
    let listener: (message: ChildMessage) => void = () => undefined;
    const found = new Promise<T>((resolve) => {
      listener = (message) => match(message) && resolve(message);
      this.listeners.add(listener);
    });
    return within(found, ms, what).finally(() => this.listeners.delete(listener));
  }

  memory(): Promise<Memory> {
    const answer = this.next((m): m is Extract<ChildMessage, { type: 'memory' }> => m.type === 'memory', 'the server\'s memory figures');
    this.child.send({ type: 'memory' } satisfies ParentMessage);
    return answer;
  }

  /** Resolves once the server has logged `event` (already, or later). */
  async logged(event: string, ms = 10_000): Promise<void> {
    if (this.events.includes(event)) return;
    await this.next((m): m is Extract<ChildMessage, { type: 'log' }> => m.type === 'log' && m.event === event, `the server to log ${event}`, ms);
  }

  count(event: string): number {
    return this.events.filter((logged) => logged === event).length;
  }

  async stop(): Promise<void> {
    this.child.send({ type: 'stop' } satisfies ParentMessage);
    await within(this.exited, 15_000, 'the server process to stop').catch(() => this.child.kill('SIGKILL'));
  }
}
