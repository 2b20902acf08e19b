// Safety numbers: Signal's numeric fingerprint construction checked against Signal's own test
// vector, then Secure Chat's parameters with fixed values.
import * as assert from 'assert';
import { CryptoError, IdentityKey, safetyNumber } from '../../../src/crypto';
import { SAFETY_NUMBER_ITERATIONS, displayableFingerprint, numericFingerprint } from '../../../src/crypto/safetyNumber';
import { hex, readVectors } from './fixtures';

interface SignalVector {
  iterations: number;
  version: number;
  alice: { identifier: string; key: string };
  bob: { identifier: string; key: string };
  fingerprint: string;
}

const party = (side: { identifier: string; key: string }) => ({ publicKey: hex(side.key), stableId: Buffer.from(side.identifier, 'utf8') });
const rfc8032 = readVectors<{ tests: { publicKey: string }[] }>('rfc8032_sec7.1_ed25519.json').tests.map((c) => hex(c.publicKey));

describe('safety numbers', () => {
  it('the construction is Signal\'s: libsignal\'s displayable fingerprint vector, in both orders', () => {
    const v = readVectors<SignalVector>('signal_numeric_fingerprint.json');
    assert.strictEqual(v.iterations, SAFETY_NUMBER_ITERATIONS);
    assert.strictEqual(displayableFingerprint(party(v.alice), party(v.bob), v.iterations, v.version), v.fingerprint);
    assert.strictEqual(displayableFingerprint(party(v.bob), party(v.alice), v.iterations, v.version), v.fingerprint);
    assert.strictEqual(numericFingerprint(party(v.alice), v.iterations, v.version), v.fingerprint.slice(0, 30));
    assert.strictEqual(numericFingerprint(party(v.bob), v.iterations, v.version), v.fingerprint.slice(30));
  });

  it('two members compute the same printed number whichever asks', () => {
    const [alice, bob] = rfc8032;
    const expected = '31648 41153 15759 28441 95902 04941 67690 46274 59034 81902 76934 14738';
    assert.strictEqual(safetyNumber(alice, bob), expected);
    assert.strictEqual(safetyNumber(bob, alice), expected);
  });

  it('another key on either side gives another number; the format is twelve groups of five digits', () => {
    const [alice, bob, carol] = rfc8032;
    const numbers = new Set([safetyNumber(alice, bob), safetyNumber(alice, carol), safetyNumber(carol, bob), safetyNumber(alice, alice)]);
    assert.strictEqual(numbers.size, 4);
    const generated = safetyNumber(IdentityKey.generate().publicKey, IdentityKey.generate().publicKey);
    assert.match(generated, /^(\d{5} ){11}\d{5}$/);
  });

  it('a key that is not a valid identity key is the generic error', () => {
    const identityPoint = hex(`01${'00'.repeat(31)}`);
    for (const bad of [Buffer.alloc(31, 1), identityPoint]) {
      assert.throws(() => safetyNumber(rfc8032[0], bad), CryptoError);
      assert.throws(() => safetyNumber(bad, rfc8032[0]), CryptoError);
    }
  });
});
