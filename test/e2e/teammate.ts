// A headless member for UI tests: a real ChatClient in the test's process, connected to the team's
// server, that records what it receives and the delivery of what it sends, for tests to wait on.
import { ChatClient } from '../../src/client';
import type { ChatMessage, DeliveryUpdate } from '../../src/client';
import { within } from '../support/rawClient';
import { Page } from 'playwright-core';
import { answerInput, runCommand } from './workbench';

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

/**
 * This window's user joins the room at `address` from the palette for the first time: the first Join
 * asks for the display name, then the address and the password. (Set Username just before a Join
 * races the setting's write: a Join that starts before it lands asks for the name again.)
 */
export async function joinAs(page: Page, username: string, address: string, password: string): Promise<void> {
  await runCommand(page, 'Secure Chat: Join a Room');
  await answerInput(page, username, 'Secure Chat: Your Display Name');
  await answerInput(page, address, 'Secure Chat: Join a Room (1/2)');
  await answerInput(page, password, 'Secure Chat: Join a Room (2/2)');
}
