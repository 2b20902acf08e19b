// How the host's vscode-free rules speak the user's language: each takes a Translate from the thin
// wrapper that uses it (vscode.l10n.t there, see ../l10n.ts), English by default, so the rules are
// unit-tested as written. The English text is the message's key, as vscode.l10n.t expects: pass
// each as a string literal, so that the localisation test finds it and checks its translations.
import { fillIn } from '../../protocol/panelText';

export type Translate = (message: string, ...args: (string | number)[]) => string;

/** The message as written, with {0}, {1}... filled in from args (as the panel fills in its words). */
export const english: Translate = fillIn;
