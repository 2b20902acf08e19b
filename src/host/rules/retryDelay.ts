// How long until the next reconnect attempt, in the words the status bar and the panel both use.

/** Whole seconds, never "0 s": a wait shorter than a second still reads as one. */
export function retryDelayText(inMs: number): string {
  return `${Math.max(1, Math.round(inMs / 1000))} s`;
}
