import * as assert from 'assert';
import { ServerMemory } from '../../../../src/host/rules/serverMemory';
import { MemoryState } from './memoryState';

describe('server memory', () => {
  const starter = () => {
    const calls: string[] = [];
    return { calls, start: async () => (calls.push('start'), true) };
  };

  it('starts the server again when it was running at the last close', async () => {
    const state = new MemoryState();
    await new ServerMemory(state).started();
    const { calls, start } = starter();
    assert.strictEqual(await new ServerMemory(state).restore(true, start), true);
    assert.deepStrictEqual(calls, ['start']);
  });

  it('leaves it stopped after the user stopped it, before any start, or with the setting off', async () => {
    const stoppedState = new MemoryState();
    const memory = new ServerMemory(stoppedState);
    await memory.started();
    await memory.stopped();
    assert.strictEqual(stoppedState.values.size, 0);
    const runningState = new MemoryState();
    await new ServerMemory(runningState).started();
    for (const [state, setting] of [[stoppedState, true], [new MemoryState(), true], [runningState, false]] as const) {
      const { calls, start } = starter();
      assert.strictEqual(await new ServerMemory(state).restore(setting, start), false);
      assert.deepStrictEqual(calls, []);
    }
  });

  it('reports a start that did not get the server running', async () => {
    const state = new MemoryState();
    await new ServerMemory(state).started();
    assert.strictEqual(await new ServerMemory(state).restore(true, async () => false), false);
  });

  it('ignores a stored value that is not true', () => {
    for (const value of ['true', 1, {}, false]) {
      const state = new MemoryState();
      state.values.set('secureChat.serverWasRunning', value);
      assert.strictEqual(new ServerMemory(state).wasRunning, false, JSON.stringify(value));
    }
  });
});
