import * as assert from 'assert';
import { DEFAULT_ITERATIONS, MAX_ITERATIONS, checkRoomParams, createRoomParams, deriveRoomKeys } from '../../../src/crypto';
import { encodePassword } from '../../../src/crypto/keys';
import { testRoom } from './fixtures';

describe('room keys', () => {
  it('creates rooms with 16-byte random id and salt and the default work factor', () => {
    const a = createRoomParams();
    const b = createRoomParams();
    assert.strictEqual(a.roomId.length, 16);
    assert.strictEqual(a.kdf.salt.length, 16);
    assert.strictEqual(a.kdf.iterations, 600_000);
    assert.strictEqual(a.kdf.name, 'pbkdf2-sha256');
    assert.notDeepStrictEqual(a.roomId, b.roomId);
    assert.notDeepStrictEqual(a.kdf.salt, b.kdf.salt);
    assert.strictEqual(checkRoomParams(a), null);
  });

  it('refuses parameters a hostile server could use to weaken or stall the derivation', () => {
    const room = createRoomParams();
    const withIterations = (iterations: number) => ({ ...room, kdf: { ...room.kdf, iterations } });
    assert.match(checkRoomParams(withIterations(DEFAULT_ITERATIONS - 1)) ?? '', /iterations must be an integer from 600000/);
    assert.match(checkRoomParams(withIterations(MAX_ITERATIONS + 1)) ?? '', /iterations/);
    assert.match(checkRoomParams(withIterations(1.5)) ?? '', /iterations/);
    assert.strictEqual(checkRoomParams(withIterations(MAX_ITERATIONS)), null);
    assert.strictEqual(checkRoomParams(withIterations(1000), 1000), null, 'tests may lower the floor');
    assert.match(checkRoomParams({ ...room, roomId: Buffer.alloc(15) }) ?? '', /room id must be 16 bytes/);
    assert.match(checkRoomParams({ ...room, kdf: { ...room.kdf, salt: Buffer.alloc(8) } }) ?? '', /salt must be 16 bytes/);
  });

  it('derives four distinct keys, all depending on password, salt and room', async () => {
    const keys = await deriveRoomKeys('pw', testRoom(1));
    const values = [keys.messageEncryption, keys.messageMac, keys.usernameEncryption, keys.handshakeAuth].map((k) => k.toString('hex'));
    assert.strictEqual(new Set(values).size, 4);
    for (const k of values) assert.strictEqual(k.length, 64);
    const otherPassword = await deriveRoomKeys('pw2', testRoom(1));
    const otherSalt = await deriveRoomKeys('pw', { ...testRoom(1), kdf: { ...testRoom(1).kdf, salt: Buffer.alloc(16, 0xee) } });
    const otherRoom = await deriveRoomKeys('pw', { ...testRoom(1), roomId: Buffer.alloc(16, 0xee) });
    for (const other of [otherPassword, otherSalt, otherRoom]) assert.notDeepStrictEqual(other.messageMac, keys.messageMac);
  });

  it('encodes passwords as UTF-8 of their NFC form and refuses empty ones', async () => {
    assert.deepStrictEqual(encodePassword('cafe\u0301'), Buffer.from('caf\u00e9', 'utf8'));
    const composed = await deriveRoomKeys('caf\u00e9', testRoom(1));
    const decomposed = await deriveRoomKeys('cafe\u0301', testRoom(1));
    assert.deepStrictEqual(composed.messageMac, decomposed.messageMac);
    assert.throws(() => encodePassword(''), /password must not be empty/);
    await assert.rejects(deriveRoomKeys('', testRoom(1)), /password must not be empty/);
  });
});
