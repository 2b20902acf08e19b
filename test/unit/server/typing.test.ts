// Typing signals at the server (docs/PROTOCOL.md, `typing`): checked like a signed send, relayed to
// the room's other connections only, never stored, at most one per TYPING_INTERVAL_MS per
// connection. Real server, real sockets; "not relayed" is shown by a later message arriving first.
import * as assert from 'assert';
import { MIN_ENVELOPE_V3_BYTES, sealSignedMessage } from '../../../src/crypto';
import { encodeBody } from '../../../src/protocol/body';
import { TYPING_PLAINTEXT } from '../../../src/protocol/typing';
import { sealTyping } from '../../../src/client/typingSignals';
import { RawClient } from '../../support/rawClient';
import { useTestServer } from '../../support/useTestServer';

describe('server: typing signals', () => {
  const served = useTestServer();
  const { roster } = served;

  const typing = (client: RawClient, username = client.username, timestamp = Date.now(), identity = client.identity) =>
    sealTyping(client.keys!, identity, username, timestamp);

  /** The frames `reader` got up to and including the message `writer` sends now: what was relayed before it. */
  async function relayedBefore(writer: RawClient, reader: RawClient): Promise<string[]> {
    const marker = writer.seal('marker');
    await writer.sendAndAck(marker);
    const message = await reader.next('message', (frame) => reader.open(frame.envelope).messageId.equals(marker.messageId));
    const seen = reader.inbox.splice(0).filter((frame) => frame.type === 'typing' || frame.type === 'message');
    return [...seen.map((frame) => frame.type), message.type];
  }

  it('relays a signal to the other members as sent, signed by the sender, and not back to the sender', async () => {
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    const envelope = typing(alice);
    assert.strictEqual(envelope.length, MIN_ENVELOPE_V3_BYTES, 'a typing signal is the smallest signed envelope');
    alice.send({ type: 'typing', envelope });
    const relayed = await bob.next('typing');
    assert.deepStrictEqual(relayed.envelope, envelope);
    const opened = bob.open(relayed.envelope);
    assert.deepStrictEqual([opened.username, opened.signer, opened.plaintext], ['alice', Buffer.from(alice.identity.publicKey), Buffer.from(TYPING_PLAINTEXT)]);
    assert.deepStrictEqual(await relayedBefore(bob, alice), ['message'], 'the sender hears nothing of its own signal');
  });

  it('stores nothing: the history stays empty and the next message gets seq 1', async () => {
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    alice.send({ type: 'typing', envelope: typing(alice) });
    await bob.next('typing');
    assert.deepStrictEqual((await bob.history({ limit: 10 })).messages, []);
    assert.strictEqual((await bob.sendAndAck(bob.seal('first'))).seq, 1);
  });

  it('relays at most one signal per interval per connection and drops the rest without an answer', async () => {
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    for (let i = 0; i < 5; i++) alice.send({ type: 'typing', envelope: typing(alice, 'alice', Date.now() + i) });
    assert.deepStrictEqual(await relayedBefore(alice, bob), ['typing', 'message']);
    assert.deepStrictEqual(alice.inbox.filter((frame) => frame.type === 'error'), [], 'dropped silently');
  });

  it('paces each connection on its own: two members typing are both relayed', async () => {
    const alice = await roster.join('alice');
    const bob = await roster.join('bob');
    const carol = await roster.join('carol');
    alice.send({ type: 'typing', envelope: typing(alice) });
    bob.send({ type: 'typing', envelope: typing(bob) });
    const names = [await carol.next('typing'), await carol.next('typing')].map((frame) => carol.open(frame.envelope).username).sort();
    assert.deepStrictEqual(names, ['alice', 'bob']);
  });

  /** One member's first signal, refused: the code, and nothing relayed to bob. */
  async function refusal(name: string, seal: (client: RawClient, other: RawClient) => Buffer): Promise<string> {
    const sender = await roster.join(name);
    const bob = await roster.join('bob');
    const envelope = seal(sender, bob);
    sender.send({ type: 'typing', envelope });
    const error = await sender.next('error');
    assert.deepStrictEqual(await relayedBefore(sender, bob), ['message'], 'a refused signal is not relayed');
    return error.code;
  }

  it('refuses a signal under another name with wrong-name', async () => {
    assert.strictEqual(await refusal('mallory', (mallory) => typing(mallory, 'bob')), 'wrong-name');
  });

  it('refuses a signal signed by another member\'s key with wrong-signer', async () => {
    assert.strictEqual(await refusal('mallory', (mallory, bob) => typing(mallory, 'mallory', Date.now(), bob.identity)), 'wrong-signer');
  });

  it('refuses a tampered signal with bad-mac', async () => {
    assert.strictEqual(await refusal('mallory', (mallory) => {
      const envelope = Buffer.from(typing(mallory));
      envelope[envelope.length - 40] ^= 1;
      return envelope;
    }), 'bad-mac');
  });

  it('refuses a signal stamped beyond the clock skew with stale', async () => {
    assert.strictEqual(await refusal('mallory', (mallory) => typing(mallory, 'mallory', Date.now() - 6 * 60_000)), 'stale');
  });

  it('refuses a small message envelope sent as a typing signal with bad-frame', async () => {
    assert.strictEqual(await refusal('mallory', (mallory) => {
      const sealed = sealSignedMessage(mallory.keys!, mallory.identity, { username: 'mallory', plaintext: encodeBody({ text: 'hi' }), timestamp: Date.now() });
      assert.strictEqual(sealed.envelope.length, MIN_ENVELOPE_V3_BYTES);
      return sealed.envelope;
    }), 'bad-frame');
  });

  it('answers a typing frame of another size with bad-frame', async () => {
    const alice = await roster.join('alice');
    alice.send({ type: 'send', envelope: alice.seal('x').envelope });
    alice.sendRaw(JSON.stringify({ type: 'typing', envelope: alice.seal('longer than a typing signal').envelope.toString('base64') }));
    assert.strictEqual((await alice.error('bad-frame')).code, 'bad-frame');
  });
});

