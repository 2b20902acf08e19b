// Everything a server stores, read the way any client can: history pages from seq 0 on.
import { peekMessageId } from '../../src/crypto';
import { RawClient } from './rawClient';

/** Message id (hex) → seq of every stored message, through an authenticated client. */
export async function storedMessages(client: RawClient): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  for (let after = 0, more = true; more;) {
    const page = await client.history({ after, limit: 200 });
    for (const { seq, envelope } of page.messages) stored.set(peekMessageId(envelope)!.toString('hex'), seq);
    after = page.messages.at(-1)?.seq ?? after;
    more = page.hasMore;
  }
  return stored;
}
