// The floor a new room's password must meet, and the words around choosing one. Free of the vscode
// API so the rule is unit-tested. Only a new room is held to it: a room that exists keeps the
// password it was created with, and its members must be able to type that one.
//
// Why a floor: the room key comes from the password alone (PBKDF2, 600,000 iterations), so anyone
// with a captured envelope or a copy of the server's data folder can test guesses offline, at their
// own pace (docs/SECURITY.md). Iterations slow each guess; only length stops the guessing.

import { Translate, english } from './words';

export const MIN_ROOM_PASSWORD_CHARACTERS = 12;
/** Fewer different characters than this is a repeated pattern ("aaaaaaaaaaaa", "abababababab"). */
export const MIN_DISTINCT_CHARACTERS = 5;

/** Why `password` is too weak for a new room, or null when it meets the floor. */
export function newRoomPasswordProblem(password: string, t: Translate = english): string | null {
  if (password.length === 0) return t('The password must not be empty.');
  const characters = Array.from(password);
  if (characters.length < MIN_ROOM_PASSWORD_CHARACTERS) {
    return t('Too short: {0} of at least {1} characters. A few unrelated words are long and easy to say.', characters.length, MIN_ROOM_PASSWORD_CHARACTERS);
  }
  if (new Set(characters).size < MIN_DISTINCT_CHARACTERS) {
    return t('Too repetitive: use at least {0} different characters, for example a few unrelated words.', MIN_DISTINCT_CHARACTERS);
  }
  return null;
}

/** The first step's question: the floor, and why there is one. */
export function newRoomPasswordPrompt(address: string, t: Translate = english): string {
  return t(
    'Choose a password for the new room on {0}: at least {1} characters, because anyone who copies the room\'s messages can try guesses offline. Teammates need it too; tell them separately.',
    address, MIN_ROOM_PASSWORD_CHARACTERS,
  );
}

/** The second step's check: the same password again. */
export function confirmationProblem(first: string, again: string, t: Translate = english): string | null {
  return again === first ? null : t('The passwords do not match: type the password you chose in the first step again, or press Escape to start over.');
}

/** The first step's question when the room's password changes: the same floor, and what the change does. */
export function changeRoomPasswordPrompt(t: Translate = english): string {
  return t(
    'Choose the room\'s new password: at least {0} characters. Everyone in the room will need it; the old one stops working at once, and the history stays readable.',
    MIN_ROOM_PASSWORD_CHARACTERS,
  );
}
