import * as assert from 'assert';
import { Backoff } from '../../../src/client/backoff';

describe('client back-off', () => {
  it('doubles the ceiling from the base up to the cap', () => {
    // A random source that always picks the largest allowed value exposes each ceiling.
    const backoff = new Backoff({ baseMs: 500, capMs: 30_000, random: (max) => max - 1 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    assert.deepStrictEqual(delays, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    assert.strictEqual(backoff.attempt, 10);
  });

  it('draws each delay uniformly from 0 to the ceiling (full jitter)', () => {
    const asked: number[] = [];
    const backoff = new Backoff({ baseMs: 100, capMs: 1000, random: (max) => (asked.push(max), 0) });
    for (let i = 0; i < 6; i += 1) assert.strictEqual(backoff.next(), 0);
    assert.deepStrictEqual(asked, [101, 201, 401, 801, 1001, 1001]);
  });

  it('keeps real random delays within [0, ceiling] and uses the whole range', () => {
    const backoff = new Backoff({ baseMs: 8, capMs: 8 });
    const delays = Array.from({ length: 2000 }, () => backoff.next());
    assert.ok(delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 8));
    assert.deepStrictEqual([...new Set(delays)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 30_000, random: (max) => max - 1 });
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.strictEqual(backoff.attempt, 0);
    assert.strictEqual(backoff.next(), 500);
  });

  it('stays at the cap for very high attempt counts', () => {
    const backoff = new Backoff({ baseMs: 1, capMs: 30_000 });
    assert.strictEqual(backoff.ceiling(5000), 30_000);
  });

  it('refuses nonsensical settings', () => {
    assert.throws(() => new Backoff({ baseMs: 0 }), /baseMs/);
    assert.throws(() => new Backoff({ baseMs: 100, capMs: 50 }), /capMs/);
  });
});
