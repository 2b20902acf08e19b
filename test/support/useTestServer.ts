// The mocha hook of every suite that runs a fresh test server per test with a roster of raw clients
// on it: registered inside the suite's describe, it starts the server before each test (unless the
// tests start their own) and drops the clients and closes the server after each.
import { RawRoster } from './roster';
import { TestServer, startTestServer } from './testServer';

export type TestServerOptions = NonNullable<Parameters<typeof startTestServer>[0]>;

export interface ServedTest {
  /** The server the test runs against: the latest one started (still named once stopped, for its data directory). */
  readonly server: TestServer;
  /** Raw clients joined to the current server, dropped after each test. */
  readonly roster: RawRoster;
  /** Starts a server, which `server` names from then on (the previous one stopped first). */
  start(options?: TestServerOptions): Promise<TestServer>;
  /** Drops the roster's clients and closes the server: a restart's first half. */
  stop(): Promise<void>;
}

/** `options`: each test's server is started with them before it; `'in-test'`: each test calls `start` itself. */
export function useTestServer(options: TestServerOptions | 'in-test' = {}): ServedTest {
  let current: TestServer | undefined;
  let running = false;
  const served: ServedTest = {
    get server(): TestServer {
      if (!current) throw new Error('no test server started in this test');
      return current;
    },
    roster: new RawRoster(() => served.server.address),
    async start(startOptions) {
      current = await startTestServer(startOptions);
      running = true;
      return current;
    },
    async stop() {
      served.roster.dropAll();
      if (!running) return;
      running = false;
      await current!.close();
    },
  };
  if (options !== 'in-test') beforeEach(() => served.start(options));
  afterEach(async () => {
    await served.stop();
    current = undefined;
  });
  return served;
}
