// The worked example printed in docs/PROTOCOL.md, checked byte for byte, so the document cannot drift.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { openMessage } from '../../../src/crypto';
import { sealMessageWith, sealUsernameWith } from '../../../src/crypto/envelope';
import { clientProof, encodeTranscript, serverProof } from '../../../src/crypto/handshake';
import { deriveMasterSecret, expandRoomKeys, RoomParams } from '../../../src/crypto/keys';
import { hex, repoRoot } from './fixtures';

function readWorkedExample(): Record<string, string> {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs/PROTOCOL.md'), 'utf8');
  const block = /```worked-example\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'docs/PROTOCOL.md has a worked-example block');
  return Object.fromEntries(block[1].trim().split('\n').map((line) => {
    const at = line.indexOf(': ');
    return [line.slice(0, at), line.slice(at + 2)];
  }));
}

describe('docs/PROTOCOL.md worked example', () => {
  const ex = readWorkedExample();
  const room: RoomParams = { roomId: hex(ex['room-id']), kdf: { name: 'pbkdf2-sha256', iterations: Number(ex.iterations), salt: hex(ex.salt) } };

  it('derives the printed master secret and keys, seals to the printed envelope, and opens it back', async () => {
    const master = await deriveMasterSecret(ex.password, room.kdf);
    assert.strictEqual(master.toString('hex'), ex.master);
    const keys = expandRoomKeys(master, room.roomId);
    assert.strictEqual(keys.messageEncryption.toString('hex'), ex['k-enc']);
    assert.strictEqual(keys.messageMac.toString('hex'), ex['k-mac']);
    assert.strictEqual(keys.usernameEncryption.toString('hex'), ex['k-user']);
    assert.strictEqual(keys.handshakeAuth.toString('hex'), ex['k-auth']);

    const randomness = [hex(ex['message-id']), hex(ex['user-iv']), hex(ex['message-iv'])];
    const sealed = sealMessageWith(keys, { username: ex.username, plaintext: Buffer.from(ex.body, 'utf8'), timestamp: Number(ex.timestamp) }, () => {
      const next = randomness.shift();
      assert.ok(next, 'sealing draws exactly three random values');
      return next;
    });
    assert.strictEqual(randomness.length, 0);
    assert.strictEqual(sealed.envelope.toString('hex'), ex.envelope);
    assert.strictEqual(sealed.envelope.toString('base64'), ex['envelope-base64']);

    const opened = openMessage(keys, Buffer.from(ex['envelope-base64'], 'base64'));
    assert.strictEqual(opened.username, ex.username);
    assert.strictEqual(opened.plaintext.toString('utf8'), ex.body);
    assert.strictEqual(opened.timestamp, Number(ex.timestamp));
    assert.strictEqual(opened.usernameBlock.toString('hex'), ex['username-block']);

    const usernameBlock = sealUsernameWith(keys, ex.username, () => hex(ex['user-iv']));
    assert.strictEqual(usernameBlock.toString('hex'), ex['username-block']);
    const transcript = { room, serverNonce: hex(ex['server-nonce']), clientNonce: hex(ex['client-nonce']), usernameBlock };
    assert.strictEqual(encodeTranscript(transcript).toString('hex'), ex.transcript);
    assert.strictEqual(clientProof(keys, transcript).toString('hex'), ex['client-proof']);
    assert.strictEqual(serverProof(keys, transcript).toString('hex'), ex['server-proof']);
  });
});
