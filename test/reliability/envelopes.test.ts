import * as assert from 'assert';
import { CLOSE_CODES } from '../../src/protocol/wire';
import { RawClient } from '../support/rawClient';
import { storedMessages } from '../support/storedMessages';
import { TEST_PASSWORD, UNLIMITED_RATES } from '../support/testServer';
import { useTestServer } from '../support/useTestServer';

const MASKS = [0x01, 0x80, 0xff, 0x5a];
const SESSION_MESSAGES = 50;
/** The tamper test sends one frame per byte and mask; the default rate limit would answer most with rate-limited. */
const LIMITS = UNLIMITED_RATES;

describe('reliability: tampered and replayed envelopes', function () {
  this.timeout(60_000);
  const served = useTestServer({ limits: LIMITS });
  const { roster } = served;
  const join = (name: string) => roster.join(name);

  it('rejects every single-byte change of a valid envelope with bad-mac (signature-required for a changed version byte)', async () => {
    const client = await join('alice');
    const sealed = client.seal('tamper with me');
    const codes = new Map<string, number>();
    let tried = 0;
    for (let index = 0; index < sealed.envelope.length; index++) {
      for (const mask of MASKS) {
        const tampered = Buffer.from(sealed.envelope);
        tampered[index] ^= mask;
        client.send({ type: 'send', envelope: tampered });
        tried += 1;
      }
    }
    // One answer per frame, in order.
    for (let i = 0; i < tried; i++) {
      const answer = await client.take((frame) => frame.type === 'error' || frame.type === 'ack', 'the answer to a tampered envelope');
      const outcome = answer.type === 'error' ? answer.code : answer.type;
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
    }
    console.log(`      tamper: ${tried} tampered envelopes (${sealed.envelope.length} bytes × ${MASKS.length} masks), ${codes.get('bad-mac') ?? 0} rejected bad-mac, ${[...codes].filter(([code]) => code !== 'bad-mac').map(([code, n]) => `${n} ${code}`).join(', ') || '0 other'}`);
    // Byte 0 no longer says version 3: refused as unsigned before any check; every other change fails the MAC.
    assert.deepStrictEqual([...codes], [['signature-required', MASKS.length], ['bad-mac', tried - MASKS.length]]);
    // The untouched envelope is still good: the rejections were about the changes.
    await client.sendAndAck(sealed);
    assert.strictEqual((await storedMessages(client)).size, 1);
  });

  it('rejects every frame of a recorded session replayed on the same and on a new connection, storing nothing twice', async () => {
    const victim = roster.track(await RawClient.connect(served.server.address));
    victim.record();
    await victim.authenticate(TEST_PASSWORD, 'alice');
    for (let i = 0; i < SESSION_MESSAGES; i++) await victim.sendAndAck(victim.seal(`message ${i}`));
    const session = [...victim.recorded!];
    const [cpace, confirm, present, ...sends] = session;
    assert.deepStrictEqual([cpace, confirm, present].map((frame) => (JSON.parse(String(frame)) as { type: string }).type), ['cpace', 'confirm', 'present']);

    const replayed = new Map<string, number>();
    const replayOn = async (client: RawClient) => {
      for (const frame of sends) client.sendRaw(frame);
      for (let i = 0; i < sends.length; i++) {
        const answer = await client.take((frame) => frame.type === 'error' || frame.type === 'ack', 'the answer to a replayed frame');
        const outcome = answer.type === 'error' ? answer.code : answer.type;
        replayed.set(outcome, (replayed.get(outcome) ?? 0) + 1);
      }
    };
    await replayOn(victim);
    // The same member again, on a new connection: its own envelopes, already stored.
    await replayOn(roster.track((await RawClient.join(served.server.address, TEST_PASSWORD, 'alice', victim.identity)).client));
    // Another member sending them: not its signature, refused before the replay check.
    await replayOn(await join('mallory'));
    // The recorded handshake belongs to another connection's nonces and scalars: replayed on a new
    // connection its confirmation does not check, and the server refuses it.
    const impostor = roster.track(await RawClient.connect(served.server.address));
    await impostor.next('hello');
    impostor.sendRaw(cpace);
    await impostor.next('confirm');
    impostor.sendRaw(confirm);
    assert.strictEqual((await impostor.waitClosed()).code, CLOSE_CODES.authFailed);

    const stored = await storedMessages(await join('auditor'));
    console.log(`      replay: ${session.length} recorded frames; ${3 * sends.length} sends replayed on 3 connections, ${replayed.get('replay') ?? 0} rejected replay, ${replayed.get('wrong-signer') ?? 0} wrong-signer; recorded handshake refused 4001; store holds ${stored.size} (sent ${SESSION_MESSAGES})`);
    assert.deepStrictEqual([...replayed], [['replay', 2 * sends.length], ['wrong-signer', sends.length]]);
    assert.strictEqual(sends.length, SESSION_MESSAGES);
    assert.strictEqual(stored.size, SESSION_MESSAGES);
  });
});
