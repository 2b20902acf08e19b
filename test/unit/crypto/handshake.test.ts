import * as assert from 'assert';
import { CryptoError, RoomKeys, sealUsername } from '../../../src/crypto';
import { HandshakeTranscript, clientProof, newNonce, serverProof, verifyClientProof, verifyServerProof } from '../../support/v1Handshake';
import { testKeys, testRoom } from './fixtures';

describe('handshake proofs', () => {
  let keys: RoomKeys;
  let transcript: HandshakeTranscript;
  before(async () => {
    keys = await testKeys();
    transcript = { room: testRoom(7), serverNonce: newNonce(), clientNonce: newNonce(), usernameBlock: sealUsername(keys, 'dana') };
  });

  it('verifies the proofs of a peer holding the same password', () => {
    assert.doesNotThrow(() => verifyClientProof(keys, transcript, clientProof(keys, transcript)));
    assert.doesNotThrow(() => verifyServerProof(keys, transcript, serverProof(keys, transcript)));
  });

  it('refuses proofs made with another password', async () => {
    const wrong = await testKeys('wrong password');
    assert.throws(() => verifyClientProof(keys, transcript, clientProof(wrong, transcript)), CryptoError);
    assert.throws(() => verifyServerProof(keys, transcript, serverProof(wrong, transcript)), CryptoError);
  });

  it('does not let a proof be reflected: the client proof is not a server proof', () => {
    assert.throws(() => verifyServerProof(keys, transcript, clientProof(keys, transcript)), CryptoError);
    assert.throws(() => verifyClientProof(keys, transcript, serverProof(keys, transcript)), CryptoError);
  });

  it('binds every transcript field: nonces, username block, room and work factor', () => {
    const proof = clientProof(keys, transcript);
    const variants: HandshakeTranscript[] = [
      { ...transcript, serverNonce: newNonce() },
      { ...transcript, clientNonce: newNonce() },
      { ...transcript, usernameBlock: sealUsername(keys, 'dana') },
      { ...transcript, room: testRoom(8) },
      { ...transcript, room: { ...transcript.room, kdf: { ...transcript.room.kdf, iterations: 1001 } } },
    ];
    for (const variant of variants) assert.throws(() => verifyClientProof(keys, variant, proof), CryptoError);
  });

  it('refuses truncated proofs and transcripts with wrong field lengths', () => {
    assert.throws(() => verifyClientProof(keys, transcript, clientProof(keys, transcript).subarray(0, 31)), CryptoError);
    assert.throws(() => clientProof(keys, { ...transcript, clientNonce: Buffer.alloc(31) }), CryptoError);
  });
});
