// Everything a server stores, read the way any client can: history pages from seq 0 on.
import { peekMessageId } from '../../src/crypto';
import { RawClient } from './rawClient';

/**
 * Message id (hex) → seq of every stored message, through an authenticated client. `pageEveryMs`
 * paces the requests under a server's rate limit (20 frames/s by default) for long histories.
 */
export async function storedMessages(client: RawClient, pageEveryMs = 0): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  for (let after = 0, more = true; more;) {
    const paced = new Promise((resolve) => setTimeout(resolve, pageEveryMs));
    const page = await client.history({ after, limit: 200 });
    await paced;
    for (const { seq, envelope } of page.messages) stored.set(peekMessageId(envelope)!.toString('hex'), seq);
    after = page.messages.at(-1)?.seq ?? after;
    more = page.hasMore;
  }
  return stored;
}
