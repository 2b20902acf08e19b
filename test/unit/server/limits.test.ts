import * as assert from 'assert';
import { randomBytes } from 'crypto';
import { MAX_ENVELOPE_V3_BYTES, MAX_PLAINTEXT_BYTES } from '../../../src/crypto';
import { LAYOUT_V3 as LAYOUT } from '../../../src/crypto/envelope';
import { signEnvelope } from '../../../src/crypto/identity';
import { aesCbcEncrypt, hmacSha256 } from '../../../src/crypto/primitives';
import { CLOSE_CODES, MAX_FRAME_BYTES } from '../../../src/protocol/wire';
import type { Limits } from '../../../src/server/config';
import { RawClient } from '../../support/rawClient';
import { UNLIMITED_RATES } from '../../support/testServer';
import { useTestServer } from '../../support/useTestServer';

describe('server limits', () => {
  const served = useTestServer('in-test');
  const { roster } = served;
  const start = async (limits: Partial<Limits> = {}) => {
    await served.start({ limits });
  };
  const join = (name = 'alice') => roster.join(name);

  it('closes a socket that sends a frame over the size limit (1009)', async () => {
    await start();
    const client = await join();
    client.sendRaw('x'.repeat(MAX_FRAME_BYTES + 1));
    assert.strictEqual((await client.waitClosed()).code, 1009);
  });

  it('answers an envelope over the size limit with too-large and keeps the connection', async () => {
    await start();
    const client = await join();
    client.sendRaw(JSON.stringify({ type: 'send', envelope: Buffer.alloc(MAX_ENVELOPE_V3_BYTES + 16, 1).toString('base64') }));
    await client.error('too-large');
    await client.sendAndAck(client.seal('still here'));
  });

  it('measures too-large on the decoded envelope: one and two bytes over the limit are too-large, naming the message', async () => {
    await start();
    const client = await join();
    for (const extra of [1, 2, 3]) {
      // Version 3 (what this server takes) whatever the fill: the version byte decides where the id is read.
      const envelope = Buffer.alloc(MAX_ENVELOPE_V3_BYTES + extra, extra);
      envelope[0] = 3;
      client.sendRaw(JSON.stringify({ type: 'send', envelope: envelope.toString('base64') }));
      const refused = await client.error('too-large');
      assert.deepStrictEqual(refused.id, Buffer.alloc(16, extra), `${MAX_ENVELOPE_V3_BYTES + extra} bytes`);
    }
  });

  it('refuses a verified envelope whose body is over 32,768 bytes with too-large', async () => {
    await start();
    const client = await join();
    const { envelope } = client.seal('template');
    const keys = client.keys!;
    const header = envelope.subarray(0, LAYOUT.ciphertext);
    for (const [bytes, expected] of [[MAX_PLAINTEXT_BYTES + 1, 'too-large'], [MAX_PLAINTEXT_BYTES, 'ack']] as const) {
      // Each try needs its own message id and IV, or the second is a replay.
      const fresh = Buffer.from(header);
      randomBytes(16).copy(fresh, LAYOUT.messageId);
      randomBytes(16).copy(fresh, LAYOUT.messageIv);
      const signed = Buffer.concat([fresh, aesCbcEncrypt(keys.messageEncryption, fresh.subarray(LAYOUT.messageIv, LAYOUT.ciphertext), Buffer.alloc(bytes, 0x61))]);
      const authenticated = Buffer.concat([signed, signEnvelope(client.identity, signed)]);
      const forged = Buffer.concat([authenticated, hmacSha256(keys.messageMac, authenticated)]);
      client.send({ type: 'send', envelope: forged });
      const outcome = await client.outcome(fresh.subarray(LAYOUT.messageId, LAYOUT.timestamp));
      assert.strictEqual(outcome.type === 'ack' ? 'ack' : outcome.code, expected, `a body of ${bytes} bytes`);
    }
  });

  it('names the history request an error answers, and takes only printable ASCII request ids', async () => {
    await start({ framesPerSecond: 0.001, frameBurst: 1 });
    const client = await join();
    client.send({ type: 'history', requestId: 'first', limit: 1 });
    await client.next('history');
    client.send({ type: 'history', requestId: 'second', limit: 1 });
    assert.strictEqual((await client.error('rate-limited')).requestId, 'second');
    client.sendRaw(JSON.stringify({ type: 'history', requestId: 'caf\u00e9', limit: 1 }));
    await client.error('bad-frame');
  });

  it('answers malformed and binary frames with bad-frame and closes after too many (4004)', async () => {
    await start({ maxBadFrames: 3 });
    const client = await join();
    client.sendRaw('{not json');
    await client.error('bad-frame');
    client.sendRaw(Buffer.from([1, 2, 3]));
    await client.error('bad-frame');
    client.send({ type: 'history', requestId: 'ok', limit: 1 });
    await client.next('history');
    client.sendRaw(JSON.stringify({ type: 'history', requestId: 'x', limit: 201 }));
    client.sendRaw(JSON.stringify({ type: 'nonsense' }));
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.protocolViolation);
  });

  it('rate-limits frames per connection', async () => {
    await start({ framesPerSecond: 0.001, frameBurst: 3 });
    const client = await join();
    const sealed = [1, 2, 3, 4].map((i) => client.seal(`burst ${i}`));
    for (const { envelope } of sealed) client.send({ type: 'send', envelope });
    const limited = await client.error('rate-limited');
    assert.ok(limited.id?.equals(sealed[3].messageId));
    for (const { messageId } of sealed.slice(0, 3)) await client.next('ack', (ack) => ack.id.equals(messageId));
  });

  for (const scope of ['address', 'room'] as const) {
    it(`rate-limits envelope bytes per ${scope} across connections`, async () => {
      const budget = MAX_ENVELOPE_V3_BYTES;
      const other = scope === 'address' ? 'room' : 'address';
      await start({ [`${scope}BytesBurst`]: budget, [`${scope}BytesPerSecond`]: 1, [`${other}BytesBurst`]: 100 * budget });
      const clients = [await join('alice'), await join('bob')];
      const outcomes: string[] = [];
      let bytes = 0;
      for (let i = 0; i < 8; i++) {
        const client = clients[i % 2];
        const sealed = client.seal('y'.repeat(8_000));
        client.send({ type: 'send', envelope: sealed.envelope });
        const outcome = await client.outcome(sealed.messageId);
        outcomes.push(outcome.type === 'ack' ? 'ack' : outcome.code);
        if (outcome.type === 'ack') bytes += sealed.envelope.length;
      }
      const fits = outcomes.indexOf('rate-limited');
      assert.ok(fits > 0, outcomes.join());
      assert.deepStrictEqual(outcomes, [...Array(fits).fill('ack'), ...Array(8 - fits).fill('rate-limited')]);
      assert.ok(bytes <= budget, `${bytes} bytes accepted within a ${budget}-byte burst`);
    });
  }

  it('refuses connections beyond the maximum with server-full (4006)', async () => {
    await start({ maxConnections: 2, maxUnauthenticated: 1, maxUnauthenticatedPerAddress: 1 });
    await join('alice');
    await join('bob');
    const third = roster.track(await RawClient.connect(served.server.address));
    await third.error('server-full');
    assert.strictEqual((await third.waitClosed()).code, CLOSE_CODES.serverFull);
  });

  it('closes a client that stops reading once its send buffer passes the limit (4005)', async () => {
    await start({ ...UNLIMITED_RATES, sendBufferBytes: 64 * 1024 });
    const slow = await join('slow');
    const sender = await join('sender');
    slow.socket.pause();
    const text = 'x'.repeat(30_000);
    for (let i = 0; i < 2_000 && !served.server.logger.entries.some((e) => e.event === 'slow-consumer'); i++) {
      await sender.sendAndAck(sender.seal(text));
    }
    await served.server.logger.next('slow-consumer');
    slow.socket.resume();
    assert.strictEqual((await slow.waitClosed(10_000)).code, CLOSE_CODES.slowConsumer);
    await sender.next('leave');
  });

  it('terminates a peer that stops answering pings', async () => {
    await start({ heartbeatMs: 100 });
    const dead = await join('dead');
    const watcher = await join('watcher');
    dead.socket.pause();
    await served.server.logger.next('peer-dead');
    await watcher.next('leave');
  });
});
