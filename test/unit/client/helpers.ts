// Shared test plumbing: a client wired to a scripted server with fast reconnects, a clock that counts its pending timers, and awaiting a client's events.
import { ChatClient, ChatClientEvents, ChatClientOptions, ChatMessage, Clock } from '../../../src/client';
import { ScriptedServer, ScriptedServerOptions, TEST_ITERATIONS, TEST_PASSWORD } from './scriptedServer';

/** Real timers and a shiftable now(), so tests can see whether anything is scheduled. */
export class TestClock implements Clock {
  offsetMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters: { readonly ms: number; readonly resolve: () => void }[] = [];

  get pendingTimers(): number {
    return this.timers.size;
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Settles after the next timer of exactly ms milliseconds has fired. */
  fired(ms: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ ms, resolve }));
  }

  setTimer(ms: number, callback: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
      for (const waiter of this.waiters.filter((w) => w.ms === ms)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }, ms);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }
}

const clients = new Set<ChatClient>();
const servers = new Set<ScriptedServer>();

export async function startServer(options: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  const server = await ScriptedServer.start(options);
  servers.add(server);
  return server;
}

/** A client with fast reconnects for the server at `server.url` (scripted, or the real one). */
export function makeClient(server: { readonly url: string }, options: Partial<ChatClientOptions> = {}): ChatClient {
  const client = new ChatClient({
    address: server.url,
    password: TEST_PASSWORD,
    username: 'alice',
    minIterations: TEST_ITERATIONS,
    reconnect: { baseMs: 1, capMs: 20 },
    timeoutMs: 5000,
    ...options,
  });
  clients.add(client);
  return client;
}

/** For afterEach: no client or server outlives its test. */
export async function cleanUp(): Promise<void> {
  for (const client of clients) client.dispose();
  clients.clear();
  await Promise.all([...servers].map((server) => server.stop()));
  servers.clear();
}

/** A fresh server and a client connected to it. */
export async function connectedPair(options: Partial<ChatClientOptions> = {}): Promise<{ server: ScriptedServer; client: ChatClient }> {
  const server = await startServer();
  const client = makeClient(server, options);
  await connected(client);
  return { server, client };
}

/** The next payload of event that satisfies predicate. Register before causing the event. */
export function next<K extends keyof ChatClientEvents>(
  client: ChatClient,
  event: K,
  predicate: (payload: ChatClientEvents[K]) => boolean = () => true,
): Promise<ChatClientEvents[K]> {
  return new Promise((resolve) => {
    const off = client.on(event, (payload) => {
      if (!predicate(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** Every payload of event from now on. */
export function record<K extends keyof ChatClientEvents>(client: ChatClient, event: K): ChatClientEvents[K][] {
  const payloads: ChatClientEvents[K][] = [];
  client.on(event, (payload) => payloads.push(payload));
  return payloads;
}

export function stateIs(status: ChatClientEvents['state']['status']): (state: ChatClientEvents['state']) => boolean {
  return (state) => state.status === status;
}

export async function connected(client: ChatClient): Promise<void> {
  const done = next(client, 'state', stateIs('connected'));
  client.connect();
  await done;
}

export function texts(messages: readonly ChatMessage[]): string[] {
  return messages.map((m) => m.body.text);
}

/** Takes the server away, has bob's `text` stored meanwhile, and resolves with it as the client catches up. */
export async function caughtUpAfterAbsence(server: ScriptedServer, client: ChatClient, text: string): Promise<ChatMessage> {
  await server.stop();
  await next(client, 'state', stateIs('reconnecting'));
  server.store(server.sealAs('bob', text));
  const caughtUp = next(client, 'message', (m) => m.body.text === text);
  await server.restart();
  return caughtUp;
}
