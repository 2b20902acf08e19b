// The one way Secure Chat asks for text: an input box that always has a title and a placeholder, and
// says which step of how many it is when a question comes in parts (address, then password).
import * as vscode from 'vscode';

export interface TextQuestion {
  /** "Secure Chat: ..."; the step, when given, is shown after it as VS Code does: "(1/2)". */
  readonly title: string;
  readonly step?: { readonly step: number; readonly of: number };
  /** What is asked and why, under the box. */
  readonly prompt: string;
  /** What an answer looks like, in the empty box. */
  readonly placeholder: string;
  readonly value?: string;
  /** Masks what is typed. */
  readonly password?: boolean;
  /** Checked as the user types: why the text cannot be the answer, or null. */
  readonly validate?: (value: string) => string | null;
  /** Checked only when the user presses Enter (e.g. "the passwords do not match", which would nag while typing). */
  readonly check?: (value: string) => string | null;
}

/** Resolves with the accepted text, or undefined when the user dismissed the box. */
export function askText(question: TextQuestion): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = question.title;
  box.step = question.step?.step;
  box.totalSteps = question.step?.of;
  box.prompt = question.prompt;
  box.placeholder = question.placeholder;
  box.value = question.value ?? '';
  box.password = question.password ?? false;
  // A password copied from a chat or a mail must survive a click into another window.
  box.ignoreFocusOut = true;
  const problem = (value: string): string | undefined => question.validate?.(value) ?? undefined;
  box.validationMessage = box.value === '' ? undefined : problem(box.value);
  return new Promise((resolve) => {
    let answer: string | undefined;
    const subscriptions = [
      box.onDidChangeValue((value) => (box.validationMessage = problem(value))),
      box.onDidAccept(() => {
        const why = problem(box.value) ?? question.check?.(box.value) ?? undefined;
        box.validationMessage = why;
        if (why !== undefined) return;
        answer = box.value;
        box.hide();
      }),
      box.onDidHide(() => {
        for (const subscription of subscriptions) subscription.dispose();
        box.dispose();
        resolve(answer);
      }),
    ];
    box.show();
  });
}
