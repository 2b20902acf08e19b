// Text from outside this machine (a member's message, name or path) on its way into a VS Code
// notification. The workbench turns `[label](command:...)`, `[label](file:...)` and
// `[label](https://...)` in notification text into links it opens with commands allowed, so one
// click on a member's words could run any command. Free of the vscode API so the rule is unit-tested.
import { errorMessage } from '../../client';
import { UNSAFE_CHARACTERS } from '../../crypto/limits';
import { Translate, english } from './words';

const UNSAFE = new RegExp(UNSAFE_CHARACTERS.source, 'gu');

/**
 * One line of plain words: control and format characters become spaces, runs of whitespace one space,
 * and "](" becomes "] (": the workbench's link grammar needs the two adjacent, so no link survives
 * while the label and the target stay readable.
 */
export function plainText(text: string): string {
  return text.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim().replace(/\]\(/gu, '] (');
}

/** A failure's notification: a thrown error's message may carry a peer's or a server's words, so it is plain words too. */
export function failureNotice(error: unknown, t: Translate = english): string {
  return t('Secure Chat: {0}', plainText(errorMessage(error)));
}
