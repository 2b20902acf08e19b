import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIRMATION_BYTES, CPACE_NONCE_BYTES, CryptoError, DEFAULT_ITERATIONS, USERNAME_BLOCK_BYTES } from '../../../src/crypto';
import { randomBytes } from '../../../src/crypto/primitives';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { startChatServer } from '../../../src/server/server';
import { StartError } from '../../../src/server/errors';
import { RawClient } from '../../support/rawClient';
import { PROOF_BYTES, newNonce } from '../../support/v1Handshake';
import { RecordingLogger } from '../../support/recordingLogger';
import { TEST_PASSWORD, TestServer, startTestServer, tempDataDir } from '../../support/testServer';

describe('server handshake and presence', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  const connect = async () => {
    const client = await RawClient.connect(server.address);
    clients.push(client);
    return client;
  };
  const join = async (name: string) => {
    const client = await connect();
    return { client, welcome: await client.authenticate(TEST_PASSWORD, name) };
  };

  beforeEach(async () => {
    server = await startTestServer({ limits: { handshakeTimeoutMs: 300, maxAuthFailures: 2, backoffMs: 60_000 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it('admits a client with the right password over CPace: the epochs, then its presence and the welcome', async () => {
    const { client, welcome } = await join('alice');
    assert.strictEqual(welcome.latestSeq, 0);
    assert.strictEqual(welcome.epoch, 1);
    assert.deepStrictEqual([...client.epochs.keys()], [1]);
    assert.strictEqual(welcome.online.length, 1);
    assert.deepStrictEqual(RawClient.keyOf(welcome.online[0]), client.identity.publicKey, 'the entry starts with the member\'s identity key');
    assert.strictEqual(welcome.online[0].readUInt32BE(32), 1);
    assert.strictEqual(client.name(welcome.online[0]), 'alice');
  });

  it('with a wrong password, the server\'s confirmation does not check and the client says nothing more', async () => {
    const client = await connect();
    const offer = await client.offerCpace('wrong password');
    await assert.rejects(client.confirm(offer), CryptoError);
    // The client gives up silently, as the real one does: the server counts it as one failure.
    await client.close();
  });

  it('refuses a wrong client confirmation with one generic error and close 4001', async () => {
    const client = await connect();
    await client.offerCpace(TEST_PASSWORD);
    await client.next('confirm');
    client.send({ type: 'confirm', proof: randomBytes(CONFIRMATION_BYTES) });
    const error = await client.error('auth-failed');
    assert.strictEqual(error.message, 'authentication failed');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.authFailed);
    assert.strictEqual(client.inbox.some((frame) => frame.type === 'epoch'), false, 'no epoch secret before the client confirmed');
  });

  it('refuses an invalid CPace share (the identity) as a failed handshake', async () => {
    const client = await connect();
    await client.next('hello');
    client.send({ type: 'cpace', nonce: randomBytes(CPACE_NONCE_BYTES), share: Buffer.alloc(32) });
    await client.error('auth-failed');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.authFailed);
  });

  it('refuses a username block that does not open under the current epoch, before any welcome', async () => {
    const client = await connect();
    await client.confirm(await client.offerCpace(TEST_PASSWORD));
    await client.nextEpoch();
    client.send({ type: 'present', epoch: 1, user: randomBytes(USERNAME_BLOCK_BYTES), identity: client.identity.publicKey, identityProof: Buffer.alloc(64) });
    await client.error('bad-frame');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.protocolViolation);
    assert.strictEqual(client.inbox.some((frame) => frame.type === 'welcome'), false);
  });

  it('tells a version-1 client to upgrade, with its own error code and close code', async () => {
    const client = await connect();
    const hello = await client.next('hello');
    assert.strictEqual(hello.version, 2);
    // What today's version-1 client sends: a nonce, a username block and a proof.
    client.sendRaw(JSON.stringify({ type: 'auth', nonce: newNonce().toString('base64'), user: newNonce().toString('base64'), proof: randomBytes(PROOF_BYTES).toString('base64') }));
    const error = await client.error('upgrade-required');
    assert.strictEqual(error.message, 'this server speaks protocol 2: upgrade the Secure Chat extension');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.upgradeRequired);
  });

  it('refuses frames before authentication with close 4004', async () => {
    const client = await connect();
    client.send({ type: 'history', requestId: 'r1', limit: 10 });
    await client.error('not-authenticated');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.protocolViolation);
  });

  it('closes a socket that does not authenticate in time with 4002', async () => {
    const client = await connect();
    await client.error('handshake-timeout');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.handshakeTimeout);
  });

  it('backs off an address after too many guesses: a peer that takes the confirmation and leaves counts', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const client = await connect();
      await assert.rejects(client.confirm(await client.offerCpace('not the password')), CryptoError);
      await client.close();
    }
    const third = await connect();
    await third.offerCpace('not the password');
    await third.next('confirm');
    third.send({ type: 'confirm', proof: randomBytes(CONFIRMATION_BYTES) });
    assert.strictEqual((await third.waitClosed()).code, CLOSE_CODES.authFailed);
    const refused = await connect();
    await refused.error('backoff');
    assert.strictEqual((await refused.waitClosed()).code, CLOSE_CODES.backoff);
    assert.strictEqual(refused.inbox.some((frame) => frame.type === 'hello'), false);
  });

  it('announces joins and leaves and lists who is online', async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    assert.deepStrictEqual(bob.welcome.online.map((entry) => bob.client.name(entry)).sort(), ['alice', 'bob']);
    const joined = await alice.client.next('join');
    assert.strictEqual(alice.client.name(joined.user), 'bob');
    await bob.client.close();
    const left = await alice.client.next('leave');
    assert.strictEqual(alice.client.name(left.user), 'bob');
    assert.ok(joined.user.equals(left.user));
  });
});

describe('server room password at start', () => {
  it('refuses to restart with the wrong password and names the room file', async () => {
    const first = await startTestServer();
    await first.close();
    await assert.rejects(
      startChatServer({ password: 'wrong', dataDir: first.dataDir, port: 0, logger: new RecordingLogger() }),
      (error: StartError) => error.code === 'wrong-password' && /room\.json/.test(error.message),
    );
    const again = await startTestServer({ dataDir: first.dataDir });
    await again.close();
  });

  it('refuses to start a new room over messages whose room file is missing, and changes nothing', async () => {
    const first = await startTestServer();
    const { client } = await RawClient.join(first.address, TEST_PASSWORD, 'alice');
    await client.sendAndAck(client.seal('kept'));
    await client.close();
    await first.close();
    const roomFile = path.join(first.dataDir, 'room.json');
    const saved = fs.readFileSync(roomFile);
    fs.rmSync(roomFile);
    const before = fs.readdirSync(first.dataDir).sort();
    await assert.rejects(
      startTestServer({ dataDir: first.dataDir }),
      (error: StartError) => error.code === 'store-corrupt' && /room\.json is missing/.test(error.message),
    );
    assert.deepStrictEqual(fs.readdirSync(first.dataDir).sort(), before, 'nothing created, moved or deleted');
    fs.writeFileSync(roomFile, saved);
    const again = await startTestServer({ dataDir: first.dataDir });
    const { client: reader } = await RawClient.join(again.address, TEST_PASSWORD, 'bob');
    assert.strictEqual((await reader.history({ limit: 10 })).messages.length, 1);
    await reader.close();
    await again.close();
  });

  it('creates rooms at the default work factor', async () => {
    const server = await startChatServer({ password: TEST_PASSWORD, dataDir: tempDataDir(), port: 0, logger: new RecordingLogger() });
    try {
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
      const page = await client.history({ limit: 1 });
      assert.deepStrictEqual(page.messages, []);
      await client.close();
      const probe = await RawClient.connect(server.address);
      assert.strictEqual((await probe.next('hello')).room.kdf.iterations, DEFAULT_ITERATIONS);
      await probe.close();
    } finally {
      await server.close();
    }
  });
});
