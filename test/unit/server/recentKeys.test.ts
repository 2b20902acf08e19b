import * as assert from 'assert';
import { KeySet, RecentKeys } from '../../../src/server/recentKeys';

/** 16-byte keys, one for every first byte: the set spreads keys over its shards by that byte. */
const keys = Array.from({ length: 256 }, (_, first) => Buffer.concat([Buffer.from([first]), Buffer.alloc(15, first ^ 0x5a)]));
const latin1 = (key: Buffer) => key.toString('latin1');

describe('replay keys in memory', () => {
  it('a key set holds, forgets and counts keys of every first byte', () => {
    const set = new KeySet();
    for (const key of keys) set.add(latin1(key));
    set.add(latin1(keys[7]));
    assert.strictEqual(set.size, 256);
    for (const key of keys.filter((_, i) => i % 2 === 0)) set.delete(latin1(key));
    assert.deepStrictEqual(keys.map((key) => set.has(latin1(key))), keys.map((_, i) => i % 2 === 1));
    assert.strictEqual(set.size, 128);
  });

  it('finds a message by its id or its IV, forgets a refused one, and drops a sealed segment past the horizon', () => {
    const recent = new RecentKeys();
    const [ids, ivs] = [keys.slice(0, 128), keys.slice(128)];
    const unsealed = ids.slice(0, 64).map((id, i) => recent.add(id, ivs[i]));
    recent.addSealed(1_000, Buffer.concat(ids.slice(64)), Buffer.concat(ivs.slice(64)));
    assert.deepStrictEqual([recent.has(ids[3], Buffer.alloc(16)), recent.has(Buffer.alloc(16, 1), ivs[100]), recent.size], [true, true, 128]);
    recent.forget(unsealed[3]);
    assert.strictEqual(recent.has(ids[3], ivs[3]), false);
    recent.expire(1_001);
    assert.deepStrictEqual([recent.has(ids[100], ivs[100]), recent.has(ids[4], ivs[4]), recent.size], [false, true, 63]);
  });
});
