import * as assert from 'assert';
import { HeightIndex, visibleRange } from '../../../src/webview/heightIndex';

/** Deterministic heights between 20 and 219. */
function heights(count: number): number[] {
  return Array.from({ length: count }, (_, i) => 20 + ((i * 7919) % 200));
}

function prefix(values: readonly number[], index: number): number {
  return values.slice(0, index).reduce((a, b) => a + b, 0);
}

describe('height index (windowing math)', () => {
  it('gives offsets equal to prefix sums, whether built at once or by appends', () => {
    const values = heights(1000);
    const built = new HeightIndex();
    built.reset(values);
    const appended = new HeightIndex();
    for (const value of values) appended.push(value);
    for (const index of [0, 1, 2, 3, 500, 999, 1000]) {
      assert.strictEqual(built.offsetOf(index), prefix(values, index));
      assert.strictEqual(appended.offsetOf(index), prefix(values, index));
    }
    assert.strictEqual(built.total, prefix(values, 1000));
  });

  it('finds the row at an offset, at row edges too', () => {
    const index = new HeightIndex();
    index.reset([10, 20, 30]);
    const expected: Array<[number, number]> = [[0, 0], [9, 0], [10, 1], [29, 1], [30, 2], [59, 2], [60, 2], [1000, 2], [-5, 0]];
    for (const [offset, row] of expected) assert.strictEqual(index.indexAt(offset), row, `offset ${offset}`);
    assert.strictEqual(new HeightIndex().indexAt(0), -1);
  });

  it('updates offsets after a height changes', () => {
    const values = heights(300);
    const index = new HeightIndex();
    index.reset(values);
    index.set(10, 500);
    values[10] = 500;
    for (const i of [5, 10, 11, 300]) assert.strictEqual(index.offsetOf(i), prefix(values, i));
    assert.strictEqual(index.indexAt(prefix(values, 11)), 11);
  });

  it('computes the visible range with overscan and clamps it', () => {
    const index = new HeightIndex();
    index.reset(Array(100).fill(20));
    assert.deepStrictEqual(visibleRange(index, 200, 100, 0), { start: 10, end: 16 });
    assert.deepStrictEqual(visibleRange(index, 200, 100, 40), { start: 8, end: 18 });
    assert.deepStrictEqual(visibleRange(index, 0, 100, 400), { start: 0, end: 26 });
    assert.deepStrictEqual(visibleRange(index, 1950, 100, 400), { start: 77, end: 100 });
    assert.deepStrictEqual(visibleRange(new HeightIndex(), 0, 100, 0), { start: 0, end: 0 });
  });

  it('handles 100k rows and 1,000 appends quickly', () => {
    const index = new HeightIndex();
    const start = process.hrtime.bigint();
    index.reset(heights(100_000));
    for (const value of heights(1000)) index.push(value);
    for (let offset = 0; offset < index.total; offset += 997) index.indexAt(offset);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.strictEqual(index.count, 101_000);
    assert.ok(ms < 1000, `${ms} ms`);
  });
});
