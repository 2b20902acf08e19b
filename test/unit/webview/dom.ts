// A fresh jsdom document for a test.
import { JSDOM } from 'jsdom';

export function newDocument(): Document {
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}

/**
 * For a describe block of ChatPanel tests: the panel's list measures itself with browser APIs
 * jsdom lacks; these stand in for them during the block, and the globals are put back after it.
 * With `onFrame`, each animation frame the list asks for is handed to it for the block to run;
 * without, they never run.
 */
export function withListStubs(onFrame?: (run: FrameRequestCallback) => void): void {
  const names = ['ResizeObserver', 'requestAnimationFrame'] as const;
  const saved = new Map(names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
  before(() => {
    Object.assign(globalThis, {
      ResizeObserver: class { observe(): void {} },
      requestAnimationFrame: (run: FrameRequestCallback): number => {
        onFrame?.(run);
        return 0;
      },
    });
  });
  after(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else Reflect.deleteProperty(globalThis, name);
    }
  });
}
