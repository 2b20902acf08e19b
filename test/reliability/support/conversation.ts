// A well-behaved pair of users on the real server while a test attacks it: one ChatClient says
// numbered messages, another listens. The test asserts every message was acknowledged and received.
import { ChatClient, ChatClientEvents } from '../../../src/client';
import { within } from '../../support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD } from '../../support/testServer';

function connected(client: ChatClient): Promise<void> {
  return within(new Promise<void>((resolve, reject) => {
    const off = client.on('state', (state) => {
      if (state.status === 'connected') resolve();
      if (state.status === 'error') reject(new Error(`${state.kind}: ${state.message}`));
      if (state.status === 'connected' || state.status === 'error') off();
    });
    client.connect();
  }), 10_000, 'a chat client to connect');
}

export class Conversation {
  readonly acked = new Set<string>();
  readonly received = new Set<string>();
  readonly failures: string[] = [];
  /** Local message id → text: acks name messages by local id, the listener sees the text. */
  private readonly ids = new Map<string, string>();
  private said = 0;
  private onProgress: () => void = () => undefined;

  private constructor(private readonly speaker: ChatClient, private readonly listener: ChatClient) {
    const ids = this.ids;
    speaker.on('delivery', (update: ChatClientEvents['delivery']) => {
      if (update.status === 'sent' && update.seq !== undefined) this.acked.add(ids.get(update.id) ?? update.id);
      if (update.status === 'failed') this.failures.push(`${ids.get(update.id)}: ${update.reason}`);
      this.onProgress();
    });
    listener.on('message', (message) => {
      this.received.add(message.body.text);
      this.onProgress();
    });
  }

  static async open(address: string): Promise<Conversation> {
    const make = (username: string) => new ChatClient({ address, password: TEST_PASSWORD, username, minIterations: TEST_ITERATIONS, timeoutMs: 10_000 });
    const conversation = new Conversation(make('speaker'), make('listener'));
    await Promise.all([connected(conversation.speaker), connected(conversation.listener)]);
    return conversation;
  }

  get sent(): number {
    return this.said;
  }

  /** Sends the next numbered message. */
  say(): void {
    const text = `good ${this.said++}`;
    this.ids.set(this.speaker.send({ text }).id, text);
  }

  /** Resolves once every message said so far is acknowledged and received; rejects on a failed one. */
  settled(ms = 30_000): Promise<void> {
    const done = () => this.acked.size === this.said && [...this.ids.values()].every((text) => this.received.has(text));
    return within(new Promise<void>((resolve, reject) => {
      this.onProgress = () => {
        if (this.failures.length > 0) reject(new Error(`messages failed: ${this.failures.join('; ')}`));
        else if (done()) resolve();
      };
      this.onProgress();
    }), ms, `${this.said} messages acknowledged and received (${this.acked.size} acked, ${this.received.size} received)`);
  }

  /** `acked/said acked, received/said received`. */
  summary(): string {
    return `${this.acked.size}/${this.said} acked, ${[...this.ids.values()].filter((text) => this.received.has(text)).length}/${this.said} received`;
  }

  close(): void {
    this.speaker.dispose();
    this.listener.dispose();
  }
}
