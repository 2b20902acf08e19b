import * as assert from 'assert';
import { LastRoom } from '../../../../src/host/rules/lastRoom';
import { MemoryState } from './memoryState';

describe('last room', () => {
  const passwords = new Map([['ws://team.example:7777', 'secret']]);
  const password = async (address: string) => passwords.get(address);

  it('remembers the address of the last Connect and rejoins it when its password is stored', async () => {
    const state = new MemoryState();
    const room = new LastRoom(state);
    assert.strictEqual(room.address, undefined);
    await room.remember('ws://team.example:7777');
    const joined: string[] = [];
    const address = await new LastRoom(state).rejoin(password, async (a) => (joined.push(a), true));
    assert.strictEqual(address, 'ws://team.example:7777');
    assert.deepStrictEqual(joined, ['ws://team.example:7777']);
  });

  it('does not rejoin, and never prompts, when no password is stored for the address', async () => {
    const state = new MemoryState();
    await new LastRoom(state).remember('ws://elsewhere.example:7777');
    const joined: string[] = [];
    assert.strictEqual(await new LastRoom(state).rejoin(password, async (a) => (joined.push(a), true)), undefined);
    assert.deepStrictEqual(joined, []);
  });

  it('stays offline after an explicit Disconnect', async () => {
    const state = new MemoryState();
    const room = new LastRoom(state);
    await room.remember('ws://team.example:7777');
    await room.forget();
    assert.strictEqual(room.address, undefined);
    assert.strictEqual(state.values.size, 0);
  });

  it('ignores a stored value that is not a server address', async () => {
    for (const value of [42, 'http://team.example', 'not a url', { address: 'ws://x' }]) {
      const state = new MemoryState();
      state.values.set('secureChat.lastAddress', value);
      assert.strictEqual(new LastRoom(state).address, undefined, JSON.stringify(value));
    }
  });

  it('reports no address when the connection was not made', async () => {
    const state = new MemoryState();
    await new LastRoom(state).remember('ws://team.example:7777');
    assert.strictEqual(await new LastRoom(state).rejoin(password, async () => false), undefined);
  });
});
