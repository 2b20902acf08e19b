// A member sending under the server's default rate limit (20 frames/s after a burst of 40) with a
// few messages in flight, until its socket dies: the load the kill -9 tests kill the server under.
import type { RawClient } from './rawClient';

const IN_FLIGHT = 4;
const SEND_INTERVAL_MS = 1000 / 18;

/** Resolves once the connection is gone; `onAck` gets each acknowledged message. */
export async function sendPaced(sender: RawClient, text: string, onAck: (messageId: Buffer, seq: number, envelope: Buffer) => void): Promise<void> {
  const lane = async () => {
    for (;;) {
      const sealed = sender.seal(text);
      sender.send({ type: 'send', envelope: sealed.envelope });
      const paced = new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS * IN_FLIGHT));
      const outcome = await sender.outcome(sealed.messageId);
      if (outcome.type === 'ack') onAck(sealed.messageId, outcome.seq, sealed.envelope);
      await paced;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane)).catch(() => undefined);
}
