// The member directory: first use binds a name to a key, another key's claim is `name-taken`,
// renames are "old is now new", and a snapshot restores to the same directory or is refused.
import * as assert from 'assert';
import { usernameKey } from '../../../src/crypto';
import { DIRECTORY_LIMITS, MemberDirectory } from '../../../src/server/memberDirectory';

const key = (fill: number) => Buffer.alloc(32, fill);
const alice = key(1);
const bob = key(2);
const at = 1_767_225_600_000;

describe('member directory', () => {
  it('first use binds; the same key again is known; another key is refused with name-taken and changes nothing', () => {
    const directory = new MemberDirectory();
    assert.deepStrictEqual(directory.claim('alice', alice, at), { kind: 'bound' });
    assert.deepStrictEqual(directory.claim('alice', alice, at + 1), { kind: 'known' });
    assert.deepStrictEqual(directory.claim('alice', bob, at + 2), { kind: 'name-taken' });
    assert.deepStrictEqual(directory.keyOf('alice'), alice);
    assert.strictEqual(directory.nameOf(alice), 'alice');
    assert.strictEqual(directory.nameOf(bob), undefined);
    assert.strictEqual(directory.size, 1);
    assert.deepStrictEqual(directory.renames(), []);
  });

  it('two installations that both default to "root": the second is refused, not merged into the first', () => {
    const directory = new MemberDirectory();
    assert.strictEqual(directory.claim('root', alice, at).kind, 'bound');
    assert.strictEqual(directory.claim('root', bob, at).kind, 'name-taken');
    assert.strictEqual(directory.claim('root-2', bob, at).kind, 'bound');
    assert.deepStrictEqual([directory.nameOf(alice), directory.nameOf(bob)], ['root', 'root-2']);
  });

  it('names that differ only in case or compatibility form are one name', () => {
    assert.strictEqual(usernameKey('ＡＬＩＣＥ'), 'alice');
    const directory = new MemberDirectory();
    directory.claim('alice', alice, at);
    for (const lookalike of ['Alice', 'ALICE', 'ａｌｉｃｅ']) {
      assert.deepStrictEqual(directory.claim(lookalike, bob, at), { kind: 'name-taken' }, lookalike);
      assert.deepStrictEqual(directory.keyOf(lookalike), alice, lookalike);
    }
  });

  it('a rename is recorded as "old is now new"; the old name stays the renamer\'s', () => {
    const directory = new MemberDirectory();
    directory.claim('alice', alice, at);
    assert.deepStrictEqual(directory.claim('ally', alice, at + 10), { kind: 'renamed', from: 'alice' });
    assert.strictEqual(directory.nameOf(alice), 'ally');
    assert.deepStrictEqual(directory.renames(), [{ publicKey: alice, from: 'alice', to: 'ally', at: at + 10 }]);
    assert.deepStrictEqual(directory.claim('alice', bob, at + 11), { kind: 'name-taken' }, 'nobody takes over the old name');
    assert.deepStrictEqual(directory.claim('ally', bob, at + 11), { kind: 'name-taken' });
    assert.deepStrictEqual(directory.claim('alice', alice, at + 20), { kind: 'renamed', from: 'ally' }, 'the renamer may go back');
    assert.deepStrictEqual(directory.claim('Alice', alice, at + 30), { kind: 'renamed', from: 'alice' }, 'a new spelling is a rename too');
    assert.deepStrictEqual(directory.renames().map((r) => `${r.from} is now ${r.to}`), ['alice is now ally', 'ally is now alice', 'alice is now Alice']);
    assert.deepStrictEqual(directory.snapshot().members, [{ key: alice.toString('base64'), names: ['ally', 'Alice'] }], 'one entry per name');
  });

  it('a key may hold at most namesPerMember names; going back to one it holds is always allowed', () => {
    const directory = new MemberDirectory();
    for (let i = 0; i < DIRECTORY_LIMITS.namesPerMember; i++) {
      assert.notStrictEqual(directory.claim(`name${i}`, alice, at + i).kind, 'too-many-names', `name ${i}`);
    }
    assert.deepStrictEqual(directory.claim('one-more', alice, at + 100), { kind: 'too-many-names' });
    assert.strictEqual(directory.nameOf(alice), `name${DIRECTORY_LIMITS.namesPerMember - 1}`, 'a refusal changes nothing');
    assert.deepStrictEqual(directory.claim('name0', alice, at + 101), { kind: 'renamed', from: `name${DIRECTORY_LIMITS.namesPerMember - 1}` });
    assert.strictEqual(directory.claim('one-more', bob, at + 102).kind, 'bound', 'the refused name stayed free');
  });

  it('keeps the last `renames` renames, oldest dropped first', () => {
    const directory = new MemberDirectory();
    directory.claim('a', alice, at);
    for (let i = 1; i <= DIRECTORY_LIMITS.renames + 5; i++) directory.claim(i % 2 === 1 ? 'b' : 'a', alice, at + i);
    const renames = directory.renames();
    assert.strictEqual(renames.length, DIRECTORY_LIMITS.renames);
    assert.strictEqual(renames[0].at, at + 6);
    assert.strictEqual(renames[renames.length - 1].at, at + DIRECTORY_LIMITS.renames + 5);
  });

  it('refuses a new member beyond `members`, but still knows and renames existing ones', () => {
    const directory = new MemberDirectory();
    for (let i = 0; i < DIRECTORY_LIMITS.members; i++) {
      const id = Buffer.alloc(32);
      id.writeUInt32BE(i);
      assert.strictEqual(directory.claim(`m${i}`, id, at).kind, 'bound');
    }
    assert.deepStrictEqual(directory.claim('late', key(0xee), at), { kind: 'directory-full' });
    assert.deepStrictEqual(directory.claim('m0', Buffer.alloc(32), at), { kind: 'known' });
    assert.deepStrictEqual(directory.claim('zero', Buffer.alloc(32), at), { kind: 'renamed', from: 'm0' });
  });

  it('a snapshot is plain JSON and restores to the same directory, bindings and renames included', () => {
    const directory = new MemberDirectory();
    directory.claim('alice', alice, at);
    directory.claim('bob', bob, at + 1);
    directory.claim('ally', alice, at + 2);
    const snapshot = JSON.parse(JSON.stringify(directory.snapshot())) as unknown;
    assert.deepStrictEqual(snapshot, {
      version: 1,
      members: [{ key: alice.toString('base64'), names: ['alice', 'ally'] }, { key: bob.toString('base64'), names: ['bob'] }],
      renames: [{ key: alice.toString('base64'), from: 'alice', to: 'ally', at: at + 2 }],
    });
    const restored = MemberDirectory.restore(snapshot);
    assert.ok(restored.ok);
    assert.deepStrictEqual(restored.value.snapshot(), snapshot);
    assert.deepStrictEqual(restored.value.claim('alice', bob, at + 3), { kind: 'name-taken' });
    assert.deepStrictEqual(restored.value.renames(), directory.renames());
  });

  it('refuses a snapshot that is malformed or breaks a rule, naming what is wrong', () => {
    const a = alice.toString('base64');
    const b = bob.toString('base64');
    const cases: [unknown, string][] = [
      [{ version: 2, members: [], renames: [] }, '"version" must be 1'],
      [{ version: 1, members: [{ key: 'AAAA', names: ['x'] }], renames: [] }, '"members.0.key" must be 32 bytes of base64'],
      [{ version: 1, members: [{ key: a, names: [] }], renames: [] }, '"members.0.names" must hold a name'],
      [{ version: 1, members: [{ key: a, names: ['bad\u200bname'] }], renames: [] }, '"members.0.names.0" must be a username (1-16 bytes of UTF-8, NFC, no control or format characters)'],
      [{ version: 1, members: [{ key: a, names: ['x'] }, { key: a, names: ['y'] }], renames: [] }, '"members" holds a key twice'],
      [{ version: 1, members: [{ key: a, names: ['x'] }, { key: b, names: ['X'] }], renames: [] }, '"members" holds the name "X" twice'],
      [{ version: 1, members: [{ key: a, names: ['x'] }], renames: [{ key: b, from: 'y', to: 'z', at }] }, '"renames" names a key that is not a member'],
    ];
    for (const [snapshot, error] of cases) assert.deepStrictEqual(MemberDirectory.restore(snapshot), { ok: false, error });
  });
});
