import * as assert from 'assert';
import { MAX_PINS, RoomPins } from '../../../../src/host/rules/roomPins';
import type { StateStore } from '../../../../src/host/rules/stateStore';

class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

const ROOM = 'ab'.repeat(16);
const OTHER = 'cd'.repeat(16);

describe('room pins', () => {
  it('pins a room per address, replaces it only on purpose, and forgets it', async () => {
    const pins = new RoomPins(new MemoryState());
    assert.strictEqual(pins.get('ws://a:1'), undefined);
    await pins.pin('ws://a:1', ROOM);
    await pins.pin('ws://b:2', OTHER);
    assert.strictEqual(pins.get('ws://a:1'), ROOM);
    assert.strictEqual(pins.get('ws://b:2'), OTHER);
    await pins.forget('ws://a:1');
    assert.strictEqual(pins.get('ws://a:1'), undefined);
    assert.strictEqual(pins.get('ws://b:2'), OTHER);
  });

  it('ignores what is not a room id, in the store or given', async () => {
    const state = new MemoryState();
    state.values.set('secureChat.roomPins', { 'ws://a:1': 'not hex', 'ws://b:2': 7 });
    const pins = new RoomPins(state);
    assert.strictEqual(pins.get('ws://a:1'), undefined);
    assert.strictEqual(pins.get('ws://b:2'), undefined);
    assert.strictEqual(pins.pin('ws://a:1', 'AB'), undefined);
    state.values.set('secureChat.roomPins', ['x']);
    assert.strictEqual(pins.get('ws://a:1'), undefined);
  });

  it(`keeps at most ${MAX_PINS} addresses, dropping the oldest`, async () => {
    const state = new MemoryState();
    const pins = new RoomPins(state);
    for (let i = 0; i <= MAX_PINS; i++) await pins.pin(`ws://h${i}:1`, ROOM);
    assert.strictEqual(Object.keys(state.get<object>('secureChat.roomPins')!).length, MAX_PINS);
    assert.strictEqual(pins.get('ws://h0:1'), undefined);
    assert.strictEqual(pins.get(`ws://h${MAX_PINS}:1`), ROOM);
  });
});
