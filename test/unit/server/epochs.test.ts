import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CryptoError, createRoomParams, deriveMasterSecret, peekEpoch } from '../../../src/crypto';
import { decodeBody } from '../../../src/protocol/body';
import { valueOrNull } from '../../../src/protocol/check';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { StartError } from '../../../src/server/errors';
import { ROOM_FILE } from '../../../src/server/room';
import { RoomSecrets } from '../../../src/server/roomSecrets';
import { writeLegacyStore } from '../../support/legacyStore';
import { RawClient } from '../../support/rawClient';
import { TEST_PASSWORD, startTestServer, tempDataDir } from '../../support/testServer';
import { useTestServer } from '../../support/useTestServer';

const NEW_PASSWORD = 'a brand new room password';

function roomFile(dataDir: string): { version: number; current: number; epochs: { number: number; firstSeq: number }[] } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, ROOM_FILE), 'utf8')) as never;
}

function text(client: RawClient, envelope: Buffer): string | undefined {
  return valueOrNull(decodeBody(client.open(envelope).plaintext))?.text;
}

describe('room key epochs on the server', () => {
  const served = useTestServer('in-test');
  const { roster } = served;

  it('migrates a version-1 data directory: history readable as epoch 0, new messages in a random epoch 1', async () => {
    const dataDir = tempDataDir();
    const written = await writeLegacyStore(dataDir, 6, 2);
    assert.strictEqual(roomFile(dataDir).version, 1);
    await served.start({ dataDir });
    const file = roomFile(dataDir);
    assert.strictEqual(file.version, 2);
    assert.strictEqual(file.current, 1);
    assert.deepStrictEqual(file.epochs.map((epoch) => [epoch.number, epoch.firstSeq]), [[0, 1], [1, 9]]);
    // Nothing password-equivalent at rest: not the PBKDF2 output (epoch 0's secret) in any spelling.
    const room = await RawClient.connect(served.server.address);
    const master = await deriveMasterSecret(TEST_PASSWORD, (await room.next('hello')).room.kdf);
    await room.close();
    const raw = fs.readFileSync(path.join(dataDir, ROOM_FILE), 'utf8');
    for (const spelling of [master.toString('base64'), master.toString('hex')]) assert.ok(!raw.includes(spelling));

    const alice = await roster.join('alice');
    assert.deepStrictEqual([...alice.epochs.keys()], [0, 1]);
    const page = await alice.history({ after: 0, limit: 50 });
    assert.deepStrictEqual(page.messages.map((m) => m.seq), [...written.values()]);
    assert.deepStrictEqual(page.messages.map((m) => text(alice, m.envelope)), [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => `legacy ${seq}`));
    const sealed = alice.seal('first of epoch 1');
    assert.strictEqual(peekEpoch(sealed.envelope), 1);
    assert.strictEqual((await alice.sendAndAck(sealed)).seq, 9);
    await served.stop();

    // The migrated file opens as version 2, with the same epochs.
    await served.start({ dataDir });
    assert.deepStrictEqual(roomFile(dataDir), file);
    const bob = await roster.join('bob');
    const again = await bob.history({ after: 0, limit: 50 });
    assert.deepStrictEqual(again.messages.map((m) => text(bob, m.envelope)).slice(-2), ['legacy 8', 'first of epoch 1']);
  });

  it('refuses a version-1 envelope sent by a member: new messages are signed, under the current epoch', async () => {
    const dataDir = tempDataDir();
    const written = await writeLegacyStore(dataDir, 1, 0);
    await served.start({ dataDir });
    const alice = await roster.join('alice');
    const [stored] = (await alice.history({ limit: 1 })).messages;
    assert.strictEqual(stored.seq, [...written.values()][0]);
    alice.send({ type: 'send', envelope: stored.envelope });
    assert.strictEqual((await alice.error('signature-required')).code, 'signature-required');
  });

  it('rotates with members online: both get the new epoch at once and read each other without reconnecting', async () => {
    await served.start();
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    const before = alice.seal('under epoch 1', 'alice');
    const change = await served.server.rotate();
    assert.strictEqual(change.epoch.number, 2);
    for (const member of [alice, bob]) {
      const pushed = await member.nextEpoch();
      assert.deepStrictEqual([pushed.number, pushed.current], [2, true]);
      assert.ok(member.keys?.epoch === 2, 'the new epoch is current');
    }
    assert.strictEqual(roomFile(served.server.dataDir).current, 2);
    // In flight at the change: still accepted for the grace period.
    await alice.sendAndAck(before);
    const after = alice.seal('under epoch 2', 'alice');
    assert.strictEqual(peekEpoch(after.envelope), 2);
    await alice.sendAndAck(after);
    const relayed = await bob.next('message', (m) => m.seq === 2);
    assert.strictEqual(text(bob, relayed.envelope), 'under epoch 2');
    // A newcomer gets both epochs and reads both messages.
    const carol = await roster.join('carol');
    assert.deepStrictEqual([...carol.epochs.keys()], [1, 2]);
    const page = await carol.history({ limit: 10 });
    assert.deepStrictEqual(page.messages.map((m) => text(carol, m.envelope)), ['under epoch 1', 'under epoch 2']);
  });

  it('starts a new epoch by itself after rotateAfterMessages messages', async () => {
    await served.start({ limits: { rotateAfterMessages: 3 } });
    const alice = await roster.join('alice');
    for (let i = 1; i <= 3; i++) await alice.sendAndAck(alice.seal(`message ${i}`));
    const pushed = await alice.nextEpoch();
    assert.deepStrictEqual([pushed.number, pushed.current], [2, true]);
    assert.strictEqual((await served.server.logger.next('epoch-started')).fields.reason, 'count');
    assert.deepStrictEqual(roomFile(served.server.dataDir).epochs.map((epoch) => [epoch.number, epoch.firstSeq]), [[1, 1], [2, 4]]);
    assert.strictEqual((await alice.sendAndAck(alice.seal('in epoch 2'))).seq, 4);
  });

  it('calls for a new epoch at rotateAfterMs of age or rotateAfterMessages since it began, whichever comes first', () => {
    const createdAt = 1_000_000;
    const secrets = new RoomSecrets({ room: createRoomParams(1), master: Buffer.alloc(32), epochs: [{ number: 1, createdAt, firstSeq: 11, secret: Buffer.alloc(32, 1) }], current: 1, directoryKey: Buffer.alloc(32, 2) }, tempDataDir(), 1000);
    const limits = { rotateAfterMs: 7 * 24 * 3_600_000, rotateAfterMessages: 10_000 };
    assert.strictEqual(secrets.due(11, limits, createdAt), null);
    assert.strictEqual(secrets.due(10_010, limits, createdAt + limits.rotateAfterMs - 1), null);
    assert.strictEqual(secrets.due(10_011, limits, createdAt), 'count');
    assert.strictEqual(secrets.due(11, limits, createdAt + limits.rotateAfterMs), 'age');
  });

  it('changes the password: everyone is closed with password-changed, only the new password admits, history stays', async () => {
    await served.start();
    const alice = await roster.join('alice');
    await alice.sendAndAck(alice.seal('before the change'));
    const change = await served.server.changePassword(NEW_PASSWORD);
    assert.deepStrictEqual([change.epoch.number, change.reason], [2, 'password-change']);
    assert.strictEqual((await alice.error('password-changed')).code, 'password-changed');
    assert.strictEqual((await alice.waitClosed()).code, CLOSE_CODES.passwordChanged);

    const old = await RawClient.connect(served.server.address);
    await assert.rejects(old.confirm(await old.offerCpace(TEST_PASSWORD)), CryptoError);
    await old.close();

    const bob = await roster.join('bob', NEW_PASSWORD);
    assert.deepStrictEqual([...bob.epochs.keys()], [1, 2]);
    const page = await bob.history({ limit: 10 });
    assert.deepStrictEqual(page.messages.map((m) => text(bob, m.envelope)), ['before the change']);
    await bob.sendAndAck(bob.seal('after the change'));
    await served.stop();

    await assert.rejects(startTestServer({ dataDir: served.server.dataDir }), (error: StartError) => error.code === 'wrong-password');
    await served.start({ dataDir: served.server.dataDir, password: NEW_PASSWORD });
    const carol = await roster.join('carol', NEW_PASSWORD);
    const all = await carol.history({ limit: 10 });
    assert.deepStrictEqual(all.messages.map((m) => text(carol, m.envelope)), ['before the change', 'after the change']);
  });
});
