// Wycheproof and RFC 7914 vectors, run through the exact wrappers the crypto layer uses.
import * as assert from 'assert';
import { aesCbcDecrypt, aesCbcEncrypt, constantTimeEqual, hkdfSha256, hmacSha256, pbkdf2Sha256 } from '../../../src/crypto/primitives';
import { hex, readVectors } from './fixtures';

interface Suite<T> { numberOfTests: number; testGroups: { tests: (T & { tcId: number; result: 'valid' | 'invalid' | 'acceptable' })[] }[] }
interface CbcCase { key: string; iv: string; msg: string; ct: string }
interface MacCase { key: string; msg: string; tag: string }
interface HkdfCase { ikm: string; salt: string; info: string; size: number; okm: string }
interface Pbkdf2Case { password: string; salt: string; iterationCount: number; dkLen: number; dk: string }

function cases<T>(file: string) {
  const suite = readVectors<Suite<T>>(file);
  const all = suite.testGroups.flatMap((group) => group.tests.map((test) => ({ ...group, ...test })));
  assert.strictEqual(all.length, suite.numberOfTests, `${file}: every case is run`);
  return all;
}

describe('crypto primitives against published vectors', () => {
  it('AES-CBC-PKCS5: all 216 Wycheproof cases (valid encrypt and decrypt exactly; invalid padding refused)', () => {
    const all = cases<CbcCase>('aes_cbc_pkcs5_test.json');
    let valid = 0;
    for (const c of all) {
      if (c.result === 'valid') {
        assert.strictEqual(aesCbcEncrypt(hex(c.key), hex(c.iv), hex(c.msg)).toString('hex'), c.ct, `tcId ${c.tcId} encrypt`);
        assert.strictEqual(aesCbcDecrypt(hex(c.key), hex(c.iv), hex(c.ct)).toString('hex'), c.msg, `tcId ${c.tcId} decrypt`);
        valid++;
      } else {
        assert.throws(() => aesCbcDecrypt(hex(c.key), hex(c.iv), hex(c.ct)), Error, `tcId ${c.tcId} must be refused`);
      }
    }
    assert.strictEqual(all.length, 216);
    assert.ok(valid > 0 && valid < all.length);
  });

  it('HMAC-SHA256: all 174 Wycheproof cases, truncated tags compared in constant time', () => {
    const all = cases<MacCase & { tagSize: number }>('hmac_sha256_test.json');
    for (const c of all) {
      const computed = hmacSha256(hex(c.key), hex(c.msg)).subarray(0, c.tagSize / 8);
      assert.strictEqual(constantTimeEqual(computed, hex(c.tag)), c.result === 'valid', `tcId ${c.tcId}`);
    }
    assert.strictEqual(all.length, 174);
  });

  it('HKDF-SHA256: all 86 Wycheproof cases (oversized output refused)', () => {
    const all = cases<HkdfCase>('hkdf_sha256_test.json');
    for (const c of all) {
      const derive = () => hkdfSha256(hex(c.ikm), hex(c.salt), hex(c.info), c.size);
      if (c.result === 'valid') assert.strictEqual(derive().toString('hex'), c.okm, `tcId ${c.tcId}`);
      else assert.throws(derive, Error, `tcId ${c.tcId} must be refused`);
    }
    assert.strictEqual(all.length, 86);
  });

  it('PBKDF2-HMAC-SHA256: all 60 Wycheproof cases, including non-UTF-8 passwords', async () => {
    const all = cases<Pbkdf2Case>('pbkdf2_hmacsha256_test.json');
    for (const c of all) {
      const dk = await pbkdf2Sha256(hex(c.password), hex(c.salt), c.iterationCount, c.dkLen);
      assert.strictEqual(dk.toString('hex'), c.dk, `tcId ${c.tcId}`);
    }
    assert.strictEqual(all.length, 60);
  });

  it('PBKDF2-HMAC-SHA256: RFC 7914 section 11', async () => {
    const rfc = readVectors<{ tests: Pbkdf2Case[] }>('rfc7914_sec11_pbkdf2_hmac_sha256.json');
    assert.strictEqual(rfc.tests.length, 2);
    for (const c of rfc.tests) {
      const dk = await pbkdf2Sha256(Buffer.from(c.password, 'ascii'), Buffer.from(c.salt, 'ascii'), c.iterationCount, c.dkLen);
      assert.strictEqual(dk.toString('hex'), c.dk);
    }
  });
});
