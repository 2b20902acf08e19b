// The name to offer when the room refuses one as `name-taken`: the same name with a number, cut
// to fit the username limit, skipping the names this window already knows to be bound to someone.
import { USERNAME_MAX_BYTES, isCanonicalUsername, usernameKey } from '../../crypto';

/** Suggestions tried, "name-2" to "name-99"; past them the user picks a name themselves. */
const LAST_NUMBER = 99;

/**
 * "alice" → "alice-2" (or "-3", ... when those are in `bound`, compared as usernameKey does), the
 * name cut at a character boundary so the whole stays within 16 bytes of UTF-8. Undefined when
 * every number up to 99 is bound.
 */
export function suggestName(taken: string, bound: Iterable<string> = []): string | undefined {
  const boundKeys = new Set([...bound].map(usernameKey));
  for (let number = 2; number <= LAST_NUMBER; number++) {
    const suffix = `-${number}`;
    const candidate = `${fit(taken, USERNAME_MAX_BYTES - suffix.length)}${suffix}`;
    if (!boundKeys.has(usernameKey(candidate)) && usernameKey(candidate) !== usernameKey(taken) && isCanonicalUsername(candidate)) return candidate;
  }
  return undefined;
}

/** The longest start of `name`, in whole code points, of at most `bytes` bytes of UTF-8. */
function fit(name: string, bytes: number): string {
  let kept = '';
  for (const character of name) {
    if (Buffer.byteLength(kept + character, 'utf8') > bytes) break;
    kept += character;
  }
  return kept;
}
