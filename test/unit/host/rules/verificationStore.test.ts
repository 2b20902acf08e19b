// The room's verifications in workspace state: kept per room, a malformed book said once and left
// in place until the user verifies again.
import * as assert from 'assert';
import { VerificationBook } from '../../../../src/host/rules/memberTrust';
import { VerificationStore } from '../../../../src/host/rules/verificationStore';
import { MemoryState } from './memoryState';

const bobKey = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const at = 1_767_225_600_000;

describe('verification store', () => {
  it('keeps each room\'s book under its own room id, across windows', async () => {
    const state = new MemoryState();
    const store = new VerificationStore(state);
    const book = store.load('room-a').book;
    book.verify(bobKey, 'bob', at);
    await store.save('room-a', book);
    assert.deepStrictEqual(state.values.get('secureChat.verified.room-a'), book.toStored());
    const again = new VerificationStore(state);
    const loaded = again.load('room-a');
    assert.ok(loaded.ok && loaded.book.isVerified(bobKey));
    assert.strictEqual(again.load('room-b').book.isVerified(bobKey), false, 'another room knows nothing of it');
  });

  it('says once why a stored book is unreadable, and replaces it only when the user saves again', async () => {
    const state = new MemoryState();
    const malformed = { version: 1, verified: [{ key: 'not a key', verifiedAt: at, names: ['bob'] }] };
    state.values.set('secureChat.verified.room-a', malformed);
    const store = new VerificationStore(state);
    const first = store.load('room-a');
    assert.strictEqual(first.ok, false);
    assert.match(first.ok ? '' : first.why, /key/u);
    assert.strictEqual(first.book.isVerified(bobKey), false);
    const second = store.load('room-a');
    assert.ok(second.ok, 'said once');
    assert.strictEqual(second.book, first.book);
    assert.deepStrictEqual(state.values.get('secureChat.verified.room-a'), malformed, 'left in place on load');
    first.book.verify(bobKey, 'bob', at);
    await store.save('room-a', first.book);
    assert.ok(VerificationBook.fromStored(state.values.get('secureChat.verified.room-a')).ok);
  });
});
