// Identity keys: the Ed25519 wrappers against Wycheproof and RFC 8032, key import and export, key
// ids, refused public keys, and the labels that keep a signature to one purpose.
import * as assert from 'assert';
import { inspect } from 'util';
import { CryptoError, IdentityKey, checkPublicKey, keyId, proveIdentity, verifyIdentityProof } from '../../../src/crypto';
import { SIGNATURE_LABELS, messageSignatureInput, signEnvelope, verifyEnvelopeSignature, verifySignature } from '../../../src/crypto/identity';
import { ed25519PrivateKey, ed25519PublicKey, ed25519Sign, ed25519Verify } from '../../../src/crypto/primitives';
import { hex, readVectors } from './fixtures';

const GENERIC = (error: unknown) => error instanceof CryptoError && error.message === 'message rejected: it failed verification';

interface EddsaSuite {
  numberOfTests: number;
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; msg: string; sig: string; result: 'valid' | 'invalid'; flags: string[] }[] }[];
}
interface Rfc8032Case { name: string; secretKey: string; publicKey: string; message: string; signature: string }

const rfc8032 = readVectors<{ tests: Rfc8032Case[] }>('rfc8032_sec7.1_ed25519.json').tests;

/** Encodings a public key must not have: small-order points, non-canonical y, negative zero, no point at all. */
const WEAK_KEYS: Record<string, string> = {
  'identity (order 1)': '0100000000000000000000000000000000000000000000000000000000000000',
  'y = -1 (order 2)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = 0 (order 4)': '0000000000000000000000000000000000000000000000000000000000000000',
  'order 8': 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'y = p (non-canonical 0)': 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'y = p + 1 (non-canonical identity)': 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'identity with the sign bit (negative zero)': '0100000000000000000000000000000000000000000000000000000000000080',
  'y = 2 (not on the curve)': '0200000000000000000000000000000000000000000000000000000000000000',
};

describe('identity keys (Ed25519)', () => {
  it('Wycheproof ed25519_test.json: all 151 cases through verifySignature, every invalid one the generic error', () => {
    const suite = readVectors<EddsaSuite>('ed25519_test.json');
    const all = suite.testGroups.flatMap((group) => group.tests.map((test) => ({ pk: group.publicKey.pk, ...test })));
    assert.strictEqual(all.length, suite.numberOfTests);
    assert.strictEqual(all.length, 151);
    let valid = 0;
    for (const c of all) {
      const verify = () => verifySignature(hex(c.pk), hex(c.msg), hex(c.sig));
      if (c.result === 'valid') {
        assert.doesNotThrow(verify, `tcId ${c.tcId} (${c.flags.join(', ')}) must verify`);
        valid++;
      } else {
        assert.throws(verify, GENERIC, `tcId ${c.tcId} (${c.flags.join(', ')}) must be refused`);
      }
    }
    assert.strictEqual(valid, 88);
  });

  it('RFC 8032 7.1 tests 1-3: the stored seed gives the printed public key, and signing gives the printed signature', () => {
    assert.strictEqual(rfc8032.length, 3);
    for (const c of rfc8032) {
      const identity = IdentityKey.fromPrivateKey(hex(c.secretKey));
      assert.strictEqual(identity.publicKey.toString('hex'), c.publicKey, c.name);
      assert.strictEqual(identity.exportPrivateKey().toString('hex'), c.secretKey, c.name);
      assert.strictEqual(ed25519Sign(ed25519PrivateKey(hex(c.secretKey)), hex(c.message)).toString('hex'), c.signature, c.name);
      assert.doesNotThrow(() => verifySignature(hex(c.publicKey), hex(c.message), hex(c.signature)), c.name);
    }
  });

  it('a generated key exports 32 bytes that import back to the same key; two keys differ', () => {
    const a = IdentityKey.generate();
    const b = IdentityKey.generate();
    const stored = a.exportPrivateKey();
    assert.strictEqual(stored.length, 32);
    assert.strictEqual(a.publicKey.length, 32);
    const again = IdentityKey.fromPrivateKey(stored);
    assert.deepStrictEqual(again.publicKey, a.publicKey);
    assert.notDeepStrictEqual(b.publicKey, a.publicKey);
    assert.notDeepStrictEqual(b.exportPrivateKey(), stored);
    const signed = Buffer.from('the same bytes');
    assert.deepStrictEqual(signEnvelope(again, signed), signEnvelope(a, signed), 'Ed25519 is deterministic');
  });

  it('a stored private key of another length is the generic error', () => {
    for (const length of [0, 31, 33, 64]) assert.throws(() => IdentityKey.fromPrivateKey(Buffer.alloc(length, 1)), GENERIC, `${length} bytes`);
  });

  it('neither inspecting nor serialising an identity shows its private key', () => {
    const identity = IdentityKey.fromPrivateKey(hex(rfc8032[0].secretKey));
    const shown = `${inspect(identity, { depth: 10, showHidden: true })} ${JSON.stringify(identity)}`;
    assert.ok(!shown.includes(rfc8032[0].secretKey), shown);
    assert.ok(!shown.includes(Buffer.from(rfc8032[0].secretKey, 'hex').toString('base64')), shown);
    assert.ok(!shown.includes('9d, 61, b1'), shown);
  });

  it('the key id is 8 bytes of SHA-256("secure-chat v3 key id" ‖ key), as 16 hex digits', () => {
    assert.strictEqual(keyId(hex(rfc8032[0].publicKey)), '0d48ac3f390caae5');
    assert.strictEqual(keyId(hex(rfc8032[1].publicKey)), '9f322c09120379ca');
    assert.strictEqual(IdentityKey.fromPrivateKey(hex(rfc8032[0].secretKey)).keyId, '0d48ac3f390caae5');
    assert.throws(() => keyId(Buffer.alloc(31)), GENERIC);
  });

  it('refuses small-order, non-canonical and off-curve public keys, for checking and for verifying', () => {
    const signature = hex(rfc8032[0].signature);
    for (const [why, key] of Object.entries(WEAK_KEYS)) {
      assert.throws(() => checkPublicKey(hex(key)), GENERIC, why);
      assert.throws(() => verifySignature(hex(key), Buffer.alloc(0), signature), GENERIC, why);
    }
    for (const length of [0, 31, 33]) assert.throws(() => checkPublicKey(Buffer.alloc(length, 9)), GENERIC, `${length} bytes`);
    for (const c of rfc8032) assert.doesNotThrow(() => checkPublicKey(hex(c.publicKey)), c.name);
  });

  it('OpenSSL alone accepts a signature anyone can make under a small-order key; the wrapper refuses it', () => {
    // R = identity, S = 0: [S]B = R + [k]A holds for every message when A has small order.
    const forged = hex(`01${'00'.repeat(31)}${'00'.repeat(32)}`);
    for (const why of ['identity (order 1)', 'y = -1 (order 2)']) {
      const key = hex(WEAK_KEYS[why]);
      assert.strictEqual(ed25519Verify(ed25519PublicKey(key), Buffer.from('anything'), forged), true, `OpenSSL, ${why}`);
      assert.throws(() => verifySignature(key, Buffer.from('anything'), forged), GENERIC, why);
    }
  });

  it('the message signature input is the ASCII label followed by the signed envelope bytes', () => {
    const signed = hex('03a0a1');
    assert.strictEqual(SIGNATURE_LABELS.message, 'secure-chat v3 message signature');
    assert.strictEqual(messageSignatureInput(signed).toString('hex'), `${Buffer.from('secure-chat v3 message signature', 'ascii').toString('hex')}03a0a1`);
    const identity = IdentityKey.fromPrivateKey(hex(rfc8032[0].secretKey));
    const signature = signEnvelope(identity, signed);
    assert.doesNotThrow(() => verifySignature(identity.publicKey, messageSignatureInput(signed), signature));
    assert.doesNotThrow(() => verifyEnvelopeSignature(identity.publicKey, signed, signature));
  });

  it('a signature is refused for other bytes, another key, any changed bit, or another purpose', () => {
    const identity = IdentityKey.generate();
    const other = IdentityKey.generate();
    const signed = Buffer.from('version ‖ room ‖ epoch ‖ key ‖ id ‖ time ‖ name ‖ iv ‖ ciphertext');
    const signature = signEnvelope(identity, signed);
    assert.throws(() => verifyEnvelopeSignature(identity.publicKey, Buffer.concat([signed, Buffer.from([0])]), signature), GENERIC, 'other bytes');
    assert.throws(() => verifyEnvelopeSignature(other.publicKey, signed, signature), GENERIC, 'another key');
    assert.throws(() => verifyEnvelopeSignature(identity.publicKey, signed, signature.subarray(0, 63)), GENERIC, 'truncated');
    assert.throws(() => verifyEnvelopeSignature(identity.publicKey, signed, Buffer.concat([signature, Buffer.alloc(1)])), GENERIC, 'extended');
    for (let bit = 0; bit < 512; bit++) {
      const flipped = Buffer.from(signature);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      assert.throws(() => verifyEnvelopeSignature(identity.publicKey, signed, flipped), GENERIC, `bit ${bit}`);
    }
    assert.throws(() => verifySignature(identity.publicKey, signed, signature), GENERIC, 'without the label');
    const run = { sessionId: Buffer.alloc(64, 1), clientMessage: Buffer.alloc(32, 2), serverMessage: Buffer.alloc(32, 3) };
    const runBytes = Buffer.concat([run.sessionId, run.clientMessage, run.serverMessage]);
    assert.throws(() => verifyIdentityProof(identity.publicKey, run, signEnvelope(identity, runBytes)), GENERIC, 'a message signature is no identity proof');
    assert.throws(() => verifyEnvelopeSignature(identity.publicKey, runBytes, proveIdentity(identity, run)), GENERIC, 'an identity proof is no message signature');
  });

  it('an identity proof verifies for its own CPace run only: session id, Ya and Yb', () => {
    const identity = IdentityKey.generate();
    const context = { sessionId: Buffer.alloc(64, 0x5a), clientMessage: Buffer.alloc(32, 0x1a), serverMessage: Buffer.alloc(32, 0x1b) };
    const proof = proveIdentity(identity, context);
    assert.strictEqual(proof.length, 64);
    assert.doesNotThrow(() => verifyIdentityProof(identity.publicKey, context, proof));
    assert.doesNotThrow(() => verifySignature(identity.publicKey, Buffer.concat([Buffer.from('secure-chat v3 identity proof', 'ascii'), context.sessionId, context.clientMessage, context.serverMessage]), proof));
    for (const field of ['sessionId', 'clientMessage', 'serverMessage'] as const) {
      const other = { ...context, [field]: Buffer.from(context[field]).fill(0x77) };
      assert.throws(() => verifyIdentityProof(identity.publicKey, other, proof), GENERIC, `another ${field}`);
    }
    assert.throws(() => verifyIdentityProof(IdentityKey.generate().publicKey, context, proof), GENERIC, 'another key');
    assert.throws(() => verifyIdentityProof(identity.publicKey, { ...context, sessionId: Buffer.alloc(63) }, proof), GENERIC, 'a short session id');
    assert.throws(() => proveIdentity(identity, { ...context, serverMessage: Buffer.alloc(31) }), /an identity proof needs a 64-byte session id and two 32-byte CPace messages/);
  });
});
