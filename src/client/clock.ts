// Time as the client sees it. Tests pass their own to observe or speed up timers; the extension
// uses the system clock.

export interface Clock {
  /** Milliseconds since the Unix epoch: message timestamps. */
  now(): number;
  /** Runs callback once after ms; the returned function cancels it. */
  setTimer(ms: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, callback) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
