// Bounded waits for the extension-host tests: on an event (checking the current value first), never
// on the clock alone.
import * as vscode from 'vscode';
import { within } from '../harness/timeout';

export { within };

/** Calls the listener on each change; returns the function that stops that. */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

export function fromEvent<T>(event: vscode.Event<T>): Subscribe<T> {
  return (listener) => {
    const subscription = event(listener);
    return () => subscription.dispose();
  };
}

/** Resolves with the first value (the current one, then one per change) that is not undefined. */
export function waitFor<T>(current: () => T | undefined, subscribe: Subscribe<unknown>, what: string, ms = 15_000): Promise<T> {
  const now = current();
  if (now !== undefined) return Promise.resolve(now);
  let stop: () => void = () => undefined;
  const matched = new Promise<T>((resolve) => {
    stop = subscribe(() => {
      const value = current();
      if (value === undefined) return;
      stop();
      resolve(value);
    });
  });
  return within(matched, ms, what).finally(() => stop());
}
