import * as assert from 'assert';
import { OneAtATime } from '../../../../src/host/rules/oneAtATime';

/** A promise settled from outside, so the test decides when each piece of work ends. */
function gate(): { readonly promise: Promise<void>; readonly open: () => void; readonly fail: () => void } {
  let open = (): void => undefined;
  let fail = (): void => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = () => reject(new Error('failed'));
  });
  return { promise, open, fail };
}

describe('OneAtATime', () => {
  it('starts a second call for a key only once the first settled, in the order called', async () => {
    const queue = new OneAtATime<string>();
    const events: string[] = [];
    const first = gate();
    const a = queue.run('ws://team.example:7777', async () => {
      events.push('a starts');
      await first.promise;
      events.push('a ends');
      return 'a';
    });
    const b = queue.run('ws://team.example:7777', async () => {
      events.push('b starts');
      return 'b';
    });
    const c = queue.run('ws://team.example:7777', async () => {
      events.push('c starts');
      return 'c';
    });
    await Promise.resolve();
    await Promise.resolve();
    assert.deepStrictEqual(events, ['a starts']);
    first.open();
    assert.deepStrictEqual(await Promise.all([a, b, c]), ['a', 'b', 'c']);
    assert.deepStrictEqual(events, ['a starts', 'a ends', 'b starts', 'c starts']);
  });

  it('runs work for other keys at once, and a failure reaches only its own caller', async () => {
    const queue = new OneAtATime<string>();
    const first = gate();
    const events: string[] = [];
    const a = queue.run('ws://team.example:7777', async () => {
      await first.promise;
      return 'a';
    });
    const other = await queue.run('ws://design.example:7777', async () => {
      events.push('other runs');
      return 'other';
    });
    assert.strictEqual(other, 'other');
    const b = queue.run('ws://team.example:7777', async () => 'b');
    first.fail();
    await assert.rejects(a, /failed/);
    assert.strictEqual(await b, 'b');
    assert.deepStrictEqual(events, ['other runs']);
  });
});
