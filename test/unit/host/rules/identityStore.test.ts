// The identity key in SecretStorage: created once, the same key on every later start and in every
// window, never replaced when what is stored is unreadable.
import * as assert from 'assert';
import { IdentityKey } from '../../../../src/crypto';
import { IDENTITY_SECRET, IdentityStoreError, SecretStore, loadIdentity } from '../../../../src/host/rules/identityStore';

/** SecretStorage as VS Code keeps it: shared by the windows of a profile, answers that settle later. */
class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    await Promise.resolve();
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    await Promise.resolve();
    this.values.set(key, value);
  }
}

describe('identity store', () => {
  it('creates and stores a key on first use, as 32 bytes of base64, and loads the same key afterwards', async () => {
    const secrets = new MemorySecrets();
    const first = await loadIdentity(secrets);
    const stored = secrets.values.get(IDENTITY_SECRET);
    assert.ok(stored !== undefined);
    assert.strictEqual(Buffer.from(stored, 'base64').length, 32);
    assert.deepStrictEqual(IdentityKey.fromPrivateKey(Buffer.from(stored, 'base64')).publicKey, first.publicKey);
    const again = await loadIdentity(secrets, () => assert.fail('a stored key is never replaced'));
    assert.deepStrictEqual(again.publicKey, first.publicKey);
    assert.deepStrictEqual([...secrets.values.keys()], [IDENTITY_SECRET], 'nothing else is stored');
  });

  it('two windows starting at once end with one key', async () => {
    const secrets = new MemorySecrets();
    const [a, b] = await Promise.all([loadIdentity(secrets), loadIdentity(secrets)]);
    assert.deepStrictEqual(a.publicKey, b.publicKey);
    assert.deepStrictEqual(IdentityKey.fromPrivateKey(Buffer.from(secrets.values.get(IDENTITY_SECRET) ?? '', 'base64')).publicKey, a.publicKey);
  });

  it('an unreadable stored value is an error that neither replaces it nor shows it', async () => {
    for (const bad of ['', 'not base64!', Buffer.alloc(31, 7).toString('base64'), `${Buffer.alloc(32, 7).toString('base64')} `]) {
      const secrets = new MemorySecrets();
      secrets.values.set(IDENTITY_SECRET, bad);
      await assert.rejects(loadIdentity(secrets, () => assert.fail('never replaced')), (error: unknown) => {
        return error instanceof IdentityStoreError && error.message === 'the identity key in SecretStorage is unreadable';
      }, JSON.stringify(bad));
      assert.strictEqual(secrets.values.get(IDENTITY_SECRET), bad);
    }
  });
});
