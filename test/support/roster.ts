// The raw clients a suite opens against its current test server, all dropped after each test.
import { MemberKeys } from './memberKeys';
import { RawClient } from './rawClient';
import { TEST_PASSWORD } from './testServer';

export class RawRoster {
  private readonly clients: RawClient[] = [];
  /** One key per name: in a roster the same name is the same member (the directory binds names to keys). */
  private readonly identities = new MemberKeys();

  /** `address` is read at each join, because suites start a fresh server per test. */
  constructor(private readonly address: () => string) {}

  /** Keeps a client opened some other way, so it is dropped with the rest. */
  track(client: RawClient): RawClient {
    this.clients.push(client);
    return client;
  }

  async join(name: string, password = TEST_PASSWORD): Promise<RawClient> {
    const { client } = await RawClient.join(this.address(), password, name, this.identities.of(name));
    return this.track(client);
  }

  /** Terminates rather than closes: a test may leave a socket paused or mid-refusal. */
  dropAll(): void {
    for (const client of this.clients.splice(0)) client.ws.terminate();
  }
}
