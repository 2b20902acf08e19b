// The panel's words in the user's language, for the snapshot: each English text of
// protocol/panelText.ts is its own key in the l10n bundles.
import * as vscode from 'vscode';
import { PANEL_TEXT, PANEL_TEXT_KEYS, PanelText, Say } from '../protocol/panelText';

/** Placeholders stay for the panel to fill in: vscode.l10n.t leaves them when given no arguments. */
export function localPanelText(): PanelText {
  return Object.fromEntries(PANEL_TEXT_KEYS.map((key) => [key, vscode.l10n.t(PANEL_TEXT[key])])) as unknown as PanelText;
}

/** One panel text in the user's language, for what the host itself says in the panel's words. */
export const sayLocally: Say = (key, ...args) => vscode.l10n.t(PANEL_TEXT[key], ...args);
