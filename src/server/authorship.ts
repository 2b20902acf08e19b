// Who may edit or delete a message: the key that signed it. The server cannot read bodies, so a
// `send` names the seqs its edit or tombstone changes (docs/PROTOCOL.md, "Edits and deletes") and
// the server checks each stored envelope's signer against the sender's proven key before storing it.
import { readEnvelopeHeader } from '../crypto';
import type { RoomLog } from './roomLog';

/** Whether every seq names a stored message signed by `key` (an unsigned or missing one is nobody's). */
export async function authoredBy(log: RoomLog, seqs: readonly number[], key: Buffer): Promise<boolean> {
  for (const seq of new Set(seqs)) {
    const page = await log.history({ before: seq + 1, limit: 1 }, Number.MAX_SAFE_INTEGER);
    const stored = page.messages.at(-1);
    const signer = stored?.seq === seq ? readEnvelopeHeader(stored.envelope)?.signer : null;
    if (!signer?.equals(key)) return false;
  }
  return true;
}
