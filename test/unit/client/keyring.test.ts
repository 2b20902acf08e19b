import * as assert from 'assert';
import { Keyring } from '../../../src/client/keyring';

describe('client epoch keyring', () => {
  const roomId = Buffer.alloc(16, 3);

  it('opens every epoch it was given, seals under the newest current one, and wipes everything', () => {
    const keyring = new Keyring(roomId);
    const currentEpoch = () => keyring.current?.epoch;
    assert.strictEqual(currentEpoch(), undefined);
    const secret = Buffer.alloc(32, 1);
    keyring.add(1, secret, false);
    assert.ok(secret.every((byte) => byte === 0), 'the opened secret is overwritten once its keys are derived');
    keyring.add(2, Buffer.alloc(32, 2), true);
    assert.strictEqual(currentEpoch(), 2);
    assert.strictEqual(keyring.lookup(1)?.epoch, 1);
    // An older epoch marked current (the flag is not sealed) does not move the current one back.
    keyring.add(1, Buffer.alloc(32, 1), true);
    assert.strictEqual(currentEpoch(), 2);
    keyring.add(3, Buffer.alloc(32, 3), true);
    assert.strictEqual(currentEpoch(), 3);
    const held = keyring.lookup(3)!;
    keyring.wipe();
    assert.strictEqual(currentEpoch(), undefined);
    assert.strictEqual(keyring.lookup(1), undefined);
    assert.ok(held.messageEncryption.every((byte) => byte === 0) && held.messageMac.every((byte) => byte === 0), 'keys overwritten');
  });
});
