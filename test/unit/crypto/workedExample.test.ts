// The worked example printed in docs/PROTOCOL.md, checked byte for byte, so the document cannot drift.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  IdentityKey, openEpochMessage, openEpochSecret, openMessage, openSignedMessage, proveIdentity, respondCpaceServer, safetyNumber, verifyIdentityProof,
} from '../../../src/crypto';
import {
  CHANNEL_LABELS, calculateGenerator, channelIdentifier, generatorString, intermediateSessionKey, respondCpaceServerWith, scalarMultVfy,
  sessionId, startCpaceClientWith, transcriptIr,
} from '../../../src/crypto/cpace';
import { sealEpochMessageWith, sealMessageWith, sealSignedMessageWith, sealUsernameWith } from '../../../src/crypto/envelope';
import { messageSignatureInput, verifySignature } from '../../../src/crypto/identity';
import { epochKeys, sealEpochSecretWith, storageKeys } from '../../../src/crypto/epochs';
import { roomVerifier } from '../../../src/crypto/verifier';
import { hkdfSha256 } from '../../../src/crypto/primitives';
import { clientProof, encodeTranscript, serverProof } from '../../support/v1Handshake';
import { deriveMasterSecret, expandRoomKeys, RoomParams } from '../../../src/crypto/keys';
import { hex, repoRoot } from './fixtures';

/** The `key: value` lines of the fenced block named `name` in docs/PROTOCOL.md. */
function readWorkedExample(name = 'worked-example'): Record<string, string> {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs/PROTOCOL.md'), 'utf8');
  const block = new RegExp(`\`\`\`${name}\n([\\s\\S]*?)\`\`\``).exec(doc);
  assert.ok(block, `docs/PROTOCOL.md has a ${name} block`);
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

describe('docs/PROTOCOL.md worked example, version 2', () => {
  const ex = readWorkedExample('worked-example-v2');
  const v1 = readWorkedExample();
  const kdf = { name: 'pbkdf2-sha256' as const, iterations: Number(ex.iterations), salt: hex(ex.salt) };
  const roomId = hex(ex['room-id']);
  const ctx = { roomId, serverNonce: hex(ex['server-nonce']), clientNonce: hex(ex['client-nonce']) };
  /** A randomness source that returns exactly the printed draws, in order. */
  const draws = (...values: string[]) => () => {
    const next = values.shift();
    assert.ok(next !== undefined, 'no more random draws than the example prints');
    return hex(next);
  };

  it('CPace from the printed PRS and randomness to both confirmations and the channel keys', async () => {
    const prs = await deriveMasterSecret(ex.password, kdf);
    assert.strictEqual(prs.toString('hex'), ex.prs);
    assert.strictEqual(ex.prs, v1.master, 'the PRS is the version-1 master secret of the same room');
    const ci = channelIdentifier(roomId);
    const sid = sessionId(ctx);
    assert.strictEqual(ci.toString('hex'), ex.ci);
    assert.strictEqual(sid.toString('hex'), ex.sid);
    assert.strictEqual(generatorString(prs, ci, sid).toString('hex'), ex['generator-string']);
    assert.strictEqual(Buffer.from(calculateGenerator(prs, ci, sid).toBytes()).toString('hex'), ex.generator);

    const client = startCpaceClientWith(prs, ctx, draws(ex['client-random']));
    assert.strictEqual(client.message.toString('hex'), ex.ya);
    const server = respondCpaceServerWith(prs, ctx, client.message, draws(ex['server-random']));
    assert.strictEqual(server.message.toString('hex'), ex.yb);
    assert.strictEqual(scalarMultVfy(hex(ex['client-scalar']), hex(ex.yb)).toString('hex'), ex.k);
    assert.strictEqual(scalarMultVfy(hex(ex['server-scalar']), hex(ex.ya)).toString('hex'), ex.k);
    const transcript = transcriptIr(hex(ex.ya), Buffer.alloc(0), hex(ex.yb), Buffer.alloc(0));
    assert.strictEqual(transcript.toString('hex'), ex['transcript-v2']);
    const isk = intermediateSessionKey(sid, hex(ex.k), transcript);
    assert.strictEqual(isk.toString('hex'), ex.isk);
    const key = (label: string) => hkdfSha256(isk, roomId, Buffer.from(label, 'ascii'), 32).toString('hex');
    assert.strictEqual(key(CHANNEL_LABELS.serverConfirmation), ex['k-server-confirmation']);
    assert.strictEqual(key(CHANNEL_LABELS.clientConfirmation), ex['k-client-confirmation']);
    assert.strictEqual(server.confirmation.toString('hex'), ex['server-confirmation']);
    const finished = client.finish(server.message, server.confirmation);
    assert.strictEqual(finished.confirmation.toString('hex'), ex['client-confirmation']);
    assert.strictEqual(finished.channel.encryption.toString('hex'), ex['k-channel-enc']);
    assert.strictEqual(finished.channel.mac.toString('hex'), ex['k-channel-mac']);
    assert.deepStrictEqual(server.finish(finished.confirmation), finished.channel);
    // The public API, with real randomness, accepts the printed client message too.
    assert.doesNotThrow(() => respondCpaceServer(prs, ctx, hex(ex.ya)));
  });

  it('seals the printed epoch secret for the channel and for storage, and the verifier', async () => {
    const prs = await deriveMasterSecret(ex.password, kdf);
    const channel = { encryption: hex(ex['k-channel-enc']), mac: hex(ex['k-channel-mac']) };
    const epoch = Number(ex.epoch);
    const secret = hex(ex['epoch-secret']);
    const forChannel = sealEpochSecretWith(channel, roomId, epoch, secret, draws(ex['channel-iv']));
    assert.strictEqual(forChannel.toString('hex'), ex['channel-sealed-secret']);
    assert.deepStrictEqual(openEpochSecret(channel, roomId, epoch, forChannel), secret);
    const storage = storageKeys(prs, roomId);
    assert.strictEqual(storage.encryption.toString('hex'), ex['k-store-enc']);
    assert.strictEqual(storage.mac.toString('hex'), ex['k-store-mac']);
    const stored = sealEpochSecretWith(storage, roomId, epoch, secret, draws(ex['store-iv']));
    assert.strictEqual(stored.toString('hex'), ex['stored-secret']);
    assert.deepStrictEqual(openEpochSecret(storage, roomId, epoch, stored), secret);
    assert.strictEqual(roomVerifier(expandRoomKeys(prs, roomId)).toString('hex'), ex.verifier);
  });

  it('seals the printed version-2 envelope under the epoch keys; epoch 0 opens the version-1 example', () => {
    const keys = epochKeys(hex(ex['epoch-secret']), roomId, Number(ex.epoch));
    assert.strictEqual(keys.messageEncryption.toString('hex'), ex['epoch-k-enc']);
    assert.strictEqual(keys.messageMac.toString('hex'), ex['epoch-k-mac']);
    assert.strictEqual(keys.usernameEncryption.toString('hex'), ex['epoch-k-user']);
    const message = { username: ex.username, plaintext: Buffer.from(ex.body, 'utf8'), timestamp: Number(ex.timestamp) };
    const sealed = sealEpochMessageWith(keys, message, draws(ex['message-id'], ex['user-iv'], ex['message-iv']));
    assert.strictEqual(sealed.envelope.toString('hex'), ex['envelope-v2']);
    const zero = epochKeys(hex(ex.prs), roomId, 0);
    const keyring = (epoch: number) => (epoch === 1 ? keys : epoch === 0 ? zero : undefined);
    const opened = openEpochMessage(keyring, hex(ex['envelope-v2']));
    assert.strictEqual(opened.epoch, 1);
    assert.strictEqual(opened.plaintext.toString('utf8'), ex.body);
    const old = openEpochMessage(keyring, hex(v1.envelope));
    assert.strictEqual(old.epoch, 0);
    assert.strictEqual(old.plaintext.toString('utf8'), v1.body);
  });
});

describe('docs/PROTOCOL.md worked example, version 3 (signed)', () => {
  const ex = readWorkedExample('worked-example-v3');
  const v2 = readWorkedExample('worked-example-v2');

  it('seals the printed signed envelope from the printed identity, and opens it with that signer', () => {
    for (const field of ['room-id', 'epoch', 'epoch-secret', 'username', 'timestamp', 'body', 'message-id', 'user-iv', 'message-iv']) {
      assert.strictEqual(ex[field], v2[field], `${field} is 6.7's`);
    }
    const identity = IdentityKey.fromPrivateKey(hex(ex['identity-private-key']));
    assert.strictEqual(identity.publicKey.toString('hex'), ex['identity-public-key']);
    assert.strictEqual(identity.keyId, ex['key-id']);
    const keys = epochKeys(hex(ex['epoch-secret']), hex(ex['room-id']), Number(ex.epoch));
    const randomness = [ex['message-id'], ex['user-iv'], ex['message-iv']];
    const message = { username: ex.username, plaintext: Buffer.from(ex.body, 'utf8'), timestamp: Number(ex.timestamp) };
    const sealed = sealSignedMessageWith(keys, identity, message, () => {
      const next = randomness.shift();
      assert.ok(next !== undefined, 'sealing draws exactly three random values');
      return hex(next);
    });
    assert.strictEqual(sealed.envelope.toString('hex'), ex['envelope-v3']);
    const envelope = hex(ex['envelope-v3']);
    const signedEnd = envelope.length - 96;
    assert.strictEqual(messageSignatureInput(envelope.subarray(0, signedEnd)).toString('hex'), ex['signature-input']);
    assert.strictEqual(envelope.subarray(signedEnd, signedEnd + 64).toString('hex'), ex.signature);
    assert.doesNotThrow(() => verifySignature(hex(ex['identity-public-key']), hex(ex['signature-input']), hex(ex.signature)));
    assert.ok(v2['envelope-v2'].includes(envelope.subarray(77, signedEnd).toString('hex')), 'username block, IV and ciphertext are 6.7\'s');

    const opened = openSignedMessage((epoch) => (epoch === 1 ? keys : undefined), envelope);
    assert.strictEqual(opened.signer.toString('hex'), ex['identity-public-key']);
    assert.strictEqual(opened.username, ex.username);
    assert.strictEqual(opened.plaintext.toString('utf8'), ex.body);
  });

  it('prints the identity proof for 6.7\'s CPace run', () => {
    const identity = IdentityKey.fromPrivateKey(hex(ex['identity-private-key']));
    const run = { sessionId: hex(v2.sid), clientMessage: hex(v2.ya), serverMessage: hex(v2.yb) };
    assert.strictEqual(proveIdentity(identity, run).toString('hex'), ex['identity-proof']);
    assert.doesNotThrow(() => verifyIdentityProof(hex(ex['identity-public-key']), run, hex(ex['identity-proof'])));
  });

  it('prints the safety number both members compute', () => {
    const ours = hex(ex['identity-public-key']);
    const theirs = hex(ex['peer-public-key']);
    assert.strictEqual(safetyNumber(ours, theirs), ex['safety-number']);
    assert.strictEqual(safetyNumber(theirs, ours), ex['safety-number']);
  });
});
