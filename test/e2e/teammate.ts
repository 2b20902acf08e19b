// A headless member for UI tests: a real ChatClient in the test's process, connected to the team's
// server, that records what it receives and the delivery of what it sends, for tests to wait on.
import { ChatClient } from '../../src/client';
import type { ChatMessage, DeliveryUpdate } from '../../src/client';
import { within } from '../support/rawClient';

const WAIT_MS = 15000;

export class Teammate {
  /** Every message received, in order. */
  readonly received: ChatMessage[] = [];
  private readonly deliveries: DeliveryUpdate[] = [];

  private constructor(readonly client: ChatClient) {
    client.on('message', (message) => this.received.push(message));
    client.on('delivery', (update) => this.deliveries.push(update));
  }

  /** Connected once it resolves. */
  static async join(address: string, password: string, username: string): Promise<Teammate> {
    const teammate = new Teammate(new ChatClient({ address, password, username }));
    await new Promise<void>((resolve) => {
      const stop = teammate.client.on('state', (state) => state.status === 'connected' && (stop(), resolve()));
      teammate.client.connect();
    });
    return teammate;
  }

  /** The first message received (already, or next) that passes `test`. */
  receives(test: (message: ChatMessage) => boolean, what: string): Promise<ChatMessage> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return within(new Promise((resolve) => {
      const stop = this.client.on('message', (message) => test(message) && (stop(), resolve(message)));
    }), WAIT_MS, what);
  }

  /** The delivery update of one of its messages with this status (already, or next). */
  delivery(id: string, status: DeliveryUpdate['status']): Promise<DeliveryUpdate> {
    const seen = this.deliveries.find((update) => update.id === id && update.status === status);
    if (seen) return Promise.resolve(seen);
    return within(new Promise((resolve) => {
      const stop = this.client.on('delivery', (update) => update.id === id && update.status === status && (stop(), resolve(update)));
    }), WAIT_MS, `message ${status}`);
  }

  dispose(): void {
    this.client.dispose();
  }
}

