// Every new message is signed (docs/PROTOCOL.md 8.6): the server takes only version-3 envelopes
// whose signature verifies, signed by the key the connection proved at `present`, under the name it
// presented. Real server, real sockets.
import * as assert from 'assert';
import { sealEpochMessage } from '../../../src/crypto';
import { LAYOUT_V3 } from '../../../src/crypto/envelope';
import { hmacSha256 } from '../../../src/crypto/primitives';
import { encodeBody } from '../../../src/protocol/body';
import { RawClient } from '../../support/rawClient';
import { useTestServer } from '../../support/useTestServer';

describe('server: signed sends', () => {
  const served = useTestServer();
  const { roster } = served;
  const join = (name: string) => roster.join(name);

  /** Sends an envelope and names the answer. */
  async function answer(client: RawClient, sealed: { messageId: Buffer; envelope: Buffer }): Promise<string> {
    client.send({ type: 'send', envelope: sealed.envelope });
    const outcome = await client.outcome(sealed.messageId);
    return outcome.type === 'error' ? outcome.code : 'ack';
  }

  it('stores a signed message and relays it, signed by the sender\'s key', async () => {
    const alice = await join('alice');
    const bob = await join('bob');
    await alice.sendAndAck(alice.seal('signed'));
    const relayed = await bob.next('message');
    assert.deepStrictEqual(bob.open(relayed.envelope).signer, alice.identity.publicKey);
  });

  it('refuses a member sending under another member\'s bound name with wrong-name, and stores nothing', async () => {
    await join('alice');
    const mallory = await join('mallory');
    const forged = mallory.seal('I am alice', 'alice');
    assert.strictEqual(await answer(mallory, forged), 'wrong-name');
    assert.strictEqual(await answer(mallory, mallory.seal('as myself')), 'ack', 'the connection stays and may send as itself');
    assert.deepStrictEqual((await mallory.history({ limit: 10 })).messages.map((m) => mallory.open(m.envelope).username), ['mallory']);
  });

  it('refuses a name other than the one presented, even one of the same key, with wrong-name', async () => {
    const alice = await join('alice');
    assert.strictEqual(await answer(alice, alice.seal('as a stranger', 'nobody')), 'wrong-name');
  });

  it('refuses a tampered signature with bad-mac, the MAC recomputed so only the signature fails', async () => {
    const alice = await join('alice');
    const sealed = alice.seal('tampered');
    const bytes = Buffer.from(sealed.envelope);
    bytes[bytes.length - 32 - 1] ^= 0x80;
    hmacSha256(alice.keys!.messageMac, bytes.subarray(0, bytes.length - 32)).copy(bytes, bytes.length - 32);
    assert.strictEqual(await answer(alice, { messageId: sealed.messageId, envelope: bytes }), 'bad-mac');
    assert.strictEqual(await answer(alice, sealed), 'ack', 'the envelope as signed is stored');
  });

  it('refuses an envelope signed by another key than the connection presented with wrong-signer, also a captured one resent', async () => {
    const alice = await join('alice');
    const mallory = await join('mallory');
    // Alice's key, alice's signature, mallory's name: a valid signature, but not this connection's key.
    const elsewhere = mallory.seal('signed by alice', 'mallory', Date.now(), alice.identity);
    assert.strictEqual(await answer(mallory, elsewhere), 'wrong-signer');
    const captured = alice.seal('from alice');
    await alice.sendAndAck(captured);
    assert.strictEqual(await answer(mallory, captured), 'wrong-signer');
  });

  it('refuses a signer key swapped in (signature kept, MAC recomputed) with bad-mac', async () => {
    const alice = await join('alice');
    const mallory = await join('mallory');
    const sealed = alice.seal('from alice');
    const bytes = Buffer.from(sealed.envelope);
    mallory.identity.publicKey.copy(bytes, LAYOUT_V3.signer);
    hmacSha256(mallory.keys!.messageMac, bytes.subarray(0, bytes.length - 32)).copy(bytes, bytes.length - 32);
    assert.strictEqual(await answer(mallory, { messageId: sealed.messageId, envelope: bytes }), 'bad-mac');
    assert.strictEqual(await answer(alice, sealed), 'ack', 'the envelope as signed is stored');
  });

  it('refuses an unsigned (version-2) envelope with signature-required', async () => {
    const alice = await join('alice');
    const unsigned = sealEpochMessage(alice.keys!, { username: 'alice', plaintext: encodeBody({ text: 'unsigned' }), timestamp: Date.now() });
    alice.send({ type: 'send', envelope: unsigned.envelope });
    const refused = await alice.error('signature-required');
    assert.deepStrictEqual([refused.id, refused.message], [unsigned.messageId, 'messages must be signed (envelope version 3): upgrade the Secure Chat extension']);
  });
});
