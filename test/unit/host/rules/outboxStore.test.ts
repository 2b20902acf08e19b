import * as assert from 'assert';
import { OutboxStore } from '../../../../src/host/rules/outboxStore';
import { MemoryState } from './memoryState';

const ADDRESS = 'ws://team.example:7777';
const ROOM = '0123456789abcdef0123456789abcdef';
const KEY = `secureChat.outbox.${ROOM}@${ADDRESS}`;
const entry = (n: number) => ({ localId: n.toString(16).padStart(32, '0'), envelope: Buffer.alloc(200, n), storedAfter: n * 10 });

describe('outbox store', () => {
  it('keeps sealed entries per address and room, in order, and nothing once all were sent', async () => {
    const state = new MemoryState();
    const store = new OutboxStore(state);
    await store.save(ADDRESS, ROOM, [entry(1), entry(2)]);
    const loaded = new OutboxStore(state).load(ADDRESS, ROOM);
    assert.deepStrictEqual(loaded, { ok: true, entries: [entry(1), entry(2)] });
    assert.deepStrictEqual(new OutboxStore(state).load(ADDRESS, 'ffffffffffffffffffffffffffffffff'), { ok: true, entries: [] });
    assert.deepStrictEqual(new OutboxStore(state).load('ws://other.example:7777', ROOM), { ok: true, entries: [] });
    await store.save(ADDRESS, ROOM, []);
    assert.strictEqual(state.values.size, 0);
  });

  it('moves an unreadable outbox aside, unchanged, and says why instead of dropping it quietly', async () => {
    for (const stored of ['junk', { version: 2, entries: [] }, { version: 1, entries: [{ localId: 'x', envelope: 'AAAA', storedAfter: 0 }] }]) {
      const state = new MemoryState();
      state.values.set(KEY, stored);
      const loaded = new OutboxStore(state).load(ADDRESS, ROOM);
      assert.strictEqual(loaded.ok, false, JSON.stringify(stored));
      assert.ok(!loaded.ok && loaded.why.length > 0 && loaded.keptAs === `${KEY}.unreadable`);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepStrictEqual([...state.values], [[`${KEY}.unreadable`, stored]], 'kept aside, so the next save cannot overwrite it');
    }
  });
});
