// Identities on the wire (docs/PROTOCOL.md 8.6): `present` proves the connection holds its identity
// key for this CPace run, and claims the name in the room's directory; real server, real sockets.
import * as assert from 'assert';
import { IdentityKey, proveIdentity, sealUsername } from '../../../src/crypto';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { RawClient } from '../../support/rawClient';
import { TEST_PASSWORD, TestServer, startTestServer } from '../../support/testServer';

describe('server: member identity at present', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  const connect = async (identity?: IdentityKey) => {
    const client = await RawClient.connect(server.address);
    if (identity) client.identity = identity;
    clients.push(client);
    return client;
  };
  /** A connection past the epochs, ready to present. */
  const admitted = async (identity?: IdentityKey) => {
    const client = await connect(identity);
    await client.confirm(await client.offerCpace(TEST_PASSWORD));
    for (;;) if ((await client.nextEpoch()).current) break;
    return client;
  };

  beforeEach(async () => {
    server = await startTestServer({ limits: { handshakeTimeoutMs: 2_000 } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it('refuses a proof that does not verify with auth-failed and close 4001, before any welcome', async () => {
    const client = await admitted();
    const proof = proveIdentity(client.identity, client.proofContext!);
    proof[10] ^= 1;
    client.send({ type: 'present', epoch: client.keys!.epoch, user: sealUsername(client.keys!, 'alice'), identity: client.identity.publicKey, identityProof: proof });
    await client.error('auth-failed');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.authFailed);
    assert.strictEqual(client.inbox.some((frame) => frame.type === 'welcome'), false);
  });

  it('refuses a proof made for another connection (a relayed one) with auth-failed', async () => {
    const first = await admitted();
    const second = await admitted();
    const relayed = proveIdentity(first.identity, first.proofContext!);
    second.send({ type: 'present', epoch: second.keys!.epoch, user: sealUsername(second.keys!, 'alice'), identity: first.identity.publicKey, identityProof: relayed });
    await second.error('auth-failed');
    assert.strictEqual((await second.waitClosed()).code, CLOSE_CODES.authFailed);
  });

  it('refuses a name bound to another key with name-taken, also spelt otherwise; the connection may present another name', async () => {
    const alice = await connect();
    await alice.authenticate(TEST_PASSWORD, 'alice');
    const mallory = await admitted();
    mallory.sendPresent('alice');
    const taken = await mallory.error('name-taken');
    assert.strictEqual(taken.message, 'this name belongs to another member of the room');
    mallory.sendPresent('ALICE');
    await mallory.error('name-taken');
    assert.strictEqual(mallory.inbox.some((frame) => frame.type === 'welcome'), false);
    mallory.sendPresent('mallory');
    const welcome = await mallory.next('welcome');
    assert.deepStrictEqual(welcome.online.map((entry) => mallory.name(entry)), ['alice', 'mallory']);
  });

  it('admits the same key under its name on a second connection, and after the first left', async () => {
    const identity = IdentityKey.generate();
    const first = await connect(identity);
    await first.authenticate(TEST_PASSWORD, 'alice');
    const second = await connect(identity);
    const welcome = await second.authenticate(TEST_PASSWORD, 'alice');
    assert.strictEqual(welcome.online.length, 1, 'one member on two connections is listed once');
    await first.close();
    const third = await connect(identity);
    await third.authenticate(TEST_PASSWORD, 'Alice');
  });

  it('keeps a renamed member\'s old name bound to it: nobody else can take it', async () => {
    const identity = IdentityKey.generate();
    const alice = await connect(identity);
    await alice.authenticate(TEST_PASSWORD, 'alice');
    await alice.close();
    const renamed = await connect(identity);
    await renamed.authenticate(TEST_PASSWORD, 'alicia');
    const other = await admitted();
    other.sendPresent('alice');
    await other.error('name-taken');
  });

  it('closes a connection that keeps claiming taken names, as for malformed frames', async () => {
    const alice = await connect();
    await alice.authenticate(TEST_PASSWORD, 'alice');
    const mallory = await admitted();
    for (let attempt = 0; attempt <= 10; attempt += 1) mallory.sendPresent('alice');
    assert.strictEqual((await mallory.waitClosed()).code, CLOSE_CODES.protocolViolation);
  });
});
