// A fresh jsdom document for a test.
import { JSDOM } from 'jsdom';

export function newDocument(): Document {
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}

/**
 * For a describe block of ChatPanel tests: the panel's list measures itself with browser APIs
 * jsdom lacks; these stand in for them during the block, and the globals are put back after it.
 */
export function withListStubs(): void {
  const names = ['ResizeObserver', 'requestAnimationFrame'] as const;
  const saved = new Map(names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
  before(() => {
    Object.assign(globalThis, {
      ResizeObserver: class { observe(): void {} },
      requestAnimationFrame: (): number => 0,
    });
  });
  after(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else Reflect.deleteProperty(globalThis, name);
    }
  });
}
