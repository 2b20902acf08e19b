// The name a first run suggests: the system account's, cut to a valid username. Only a suggestion:
// the first Start or Join asks for the name others will see (many dev containers run as "root").
import * as os from 'os';
import { USERNAME_MAX_BYTES } from '../../crypto';

export function accountUsername(): string {
  let name = '';
  try {
    name = os.userInfo().username;
  } catch {
    // Some containers have no passwd entry; fall through to the generic name.
  }
  const characters = Array.from(name.normalize('NFC').replace(/[^\p{L}\p{N}._-]/gu, ''));
  while (Buffer.byteLength(characters.join(''), 'utf8') > USERNAME_MAX_BYTES) characters.pop();
  return characters.join('') || 'member';
}
