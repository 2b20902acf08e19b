// What a reaction may be: one emoji, as one user-perceived character (a grapheme cluster, which may
// be a sequence of code points: a flag, a skin tone, a ZWJ family). No Node or DOM API here: the
// panel checks what is typed with the same rule the body schema applies on receipt.

/** Most UTF-16 units of one emoji: room for the longest ZWJ sequences, and a bound on what is kept. */
export const MAX_EMOJI_LENGTH = 32;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Pictographs, flags (regional indicators) and keycaps (U+20E3). */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

export function isSingleEmoji(text: string): boolean {
  if (text.length === 0 || text.length > MAX_EMOJI_LENGTH || !EMOJI.test(text)) return false;
  const graphemes = segmenter.segment(text)[Symbol.iterator]();
  const first = graphemes.next();
  return !first.done && first.value.segment === text;
}
