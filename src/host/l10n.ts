// The host rules' Translate (rules/words.ts), through VS Code's l10n bundles (l10n/bundle.l10n.*.json).
import * as vscode from 'vscode';
import type { Translate } from './rules/words';

export const translate: Translate = (message, ...args) => vscode.l10n.t(message, ...args);
