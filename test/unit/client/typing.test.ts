// Typing signals at the client: what a receiver accepts (a member online under
// the name it signed, each signal later than the last from that member), and two clients through
// the real server.
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { ChatClient, OnlineMember } from '../../../src/client';
import { TypingReceiver, sealTyping } from '../../../src/client/typingSignals';
import { IdentityKey, epochKeys, newEpochSecret, sealSignedMessage } from '../../../src/crypto';
import { encodeBody } from '../../../src/protocol/body';
import { TestServer, startTestServer } from '../../support/testServer';
import { cleanUp, connected, makeClient, next, record } from './helpers';

describe('client: typing signals received', () => {
  const keys = epochKeys(newEpochSecret(), randomBytes(16), 1);
  const keyring = (epoch: number) => (epoch === 1 ? keys : undefined);
  const bob = IdentityKey.generate();
  const me = IdentityKey.generate();
  const now = Date.now();
  const members = new Map<string, OnlineMember>([
    [Buffer.from(bob.publicKey).toString('hex'), { key: Buffer.from(bob.publicKey), name: 'bob' }],
  ]);
  const online = (key: Uint8Array) => members.get(Buffer.from(key).toString('hex'));
  const accept = (receiver: TypingReceiver, envelope: Buffer) => receiver.accept(keyring, envelope, online, me.publicKey, now)?.name;

  it('names a member online who signed under their name', () => {
    assert.strictEqual(accept(new TypingReceiver(), sealTyping(keys, bob, 'bob', now)), 'bob');
  });

  it('drops the same signal again, and one stamped no later than the last accepted', () => {
    const receiver = new TypingReceiver();
    const signal = sealTyping(keys, bob, 'bob', now - 10);
    assert.deepStrictEqual(
      [signal, signal, sealTyping(keys, bob, 'bob', now - 20), sealTyping(keys, bob, 'bob', now - 10), sealTyping(keys, bob, 'bob', now)].map((envelope) => accept(receiver, envelope)),
      ['bob', undefined, undefined, undefined, 'bob'],
    );
  });

  it('drops a signal under another name than the signer has online, from a key not online, of our own key, or not of typing', () => {
    const receiver = new TypingReceiver();
    const message = sealSignedMessage(keys, bob, { username: 'bob', plaintext: encodeBody({ text: 'hi' }), timestamp: now }).envelope;
    assert.deepStrictEqual(
      [
        sealTyping(keys, bob, 'carol', now), sealTyping(keys, IdentityKey.generate(), 'bob', now + 1), sealTyping(keys, me, 'bob', now + 2), message,
        sealTyping(epochKeys(newEpochSecret(), randomBytes(16), 1), bob, 'bob', now + 3),
      ].map((envelope) => accept(receiver, envelope)),
      [undefined, undefined, undefined, undefined, undefined],
    );
  });

  it('drops a signal stamped longer ago than live news', () => {
    assert.strictEqual(accept(new TypingReceiver(), sealTyping(keys, bob, 'bob', now - 11 * 60_000)), undefined);
  });
});

describe('client: typing through the real server', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await cleanUp();
    await server.close();
  });

  async function member(username: string): Promise<ChatClient> {
    const client = makeClient({ url: server.address }, { username });
    await connected(client);
    return client;
  }

  it('tells the other member who is typing, once per interval however often the sender calls it', async () => {
    const alice = await member('alice');
    const bobSeen = next(alice, 'presence', (online) => online.length === 2);
    const bob = await member('bob');
    await bobSeen;
    const signals = record(bob, 'typing');
    const heard = next(bob, 'typing');
    alice.typing();
    alice.typing();
    alice.typing();
    assert.deepStrictEqual(await heard, { key: Buffer.from(alice.identityPublicKey()), name: 'alice' });
    // A message sent after the calls arrives after any signal they sent.
    const message = next(bob, 'message');
    alice.send({ text: 'done typing' });
    await message;
    assert.deepStrictEqual(signals.map((signal) => signal.name), ['alice']);
    assert.deepStrictEqual(record(alice, 'typing'), [], 'the sender hears nothing of its own');
  });

  it('sends nothing while not connected', () => {
    const offline = makeClient({ url: server.address }, { username: 'alice' });
    assert.doesNotThrow(() => offline.typing());
  });
});
