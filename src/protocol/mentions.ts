// Finds "@name" mentions of the current user: one rule for the panel's highlighting and the host's
// notifications. Usernames may contain spaces and punctuation, so this looks for the exact name
// rather than guessing where a name ends.

/** A letter, digit or underscore: what may not touch a mention on either side. */
export const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** [start, end) ranges of "@me" in text, case-insensitive, not inside a word or an e-mail address. */
export function findMentions(text: string, me: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  if (me.length === 0) return ranges;
  const haystack = text.toLocaleLowerCase();
  const needle = `@${me.toLocaleLowerCase()}`;
  // Lower-casing can change lengths for a few scripts; then the indexes would not map back to text.
  if (haystack.length !== text.length) return ranges;
  for (let start = haystack.indexOf(needle); start !== -1; start = haystack.indexOf(needle, start + 1)) {
    const end = start + needle.length;
    const before = start > 0 ? text[start - 1] : '';
    const after = end < text.length ? text[end] : '';
    if (!WORD_CHARACTER.test(before) && !WORD_CHARACTER.test(after)) ranges.push([start, end]);
  }
  return ranges;
}

/** Whether a message mentions the current user. */
export function mentionsMe(text: string, me: string | null): boolean {
  return me !== null && findMentions(text, me).length > 0;
}
