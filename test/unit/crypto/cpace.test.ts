// CPace admission as secure-chat v2 runs it: round trips, every tamper refused with the one generic
// error, and the property the protocol exists for: nothing recorded allows an offline password guess.
import * as assert from 'assert';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { CpaceContext, CryptoError, RoomParams, deriveRoomKeys, respondCpaceServer, startCpaceClient } from '../../../src/crypto';
import { clientProof, verifyClientProof } from '../../support/v1Handshake';
import {
  CHANNEL_LABELS, calculateGenerator, channelIdentifier, intermediateSessionKey, scalarMult, sessionId, startCpaceClientWith, transcriptIr,
} from '../../../src/crypto/cpace';
import { deriveMasterSecret } from '../../../src/crypto/keys';
import { constantTimeEqual, hkdfSha256, hmacSha256, randomBytes } from '../../../src/crypto/primitives';
import { sealUsername } from '../../../src/crypto/envelope';
import { testRoom } from './fixtures';

const GENERIC = (error: unknown) => error instanceof CryptoError && error.message === 'message rejected: it failed verification';
const PASSWORD = 'correct horse battery staple';

function context(room: RoomParams = testRoom(3)): CpaceContext {
  return { roomId: room.roomId, serverNonce: randomBytes(32), clientNonce: randomBytes(32) };
}

/** A complete honest run; returns everything that crossed the wire and both sides' channel keys. */
function run(clientPrs: Buffer, serverPrs: Buffer, ctx: CpaceContext) {
  const client = startCpaceClient(clientPrs, ctx);
  const server = respondCpaceServer(serverPrs, ctx, client.message);
  const { confirmation, channel } = client.finish(server.message, server.confirmation);
  return { ya: client.message, yb: server.message, tb: server.confirmation, ta: confirmation, clientChannel: channel, serverChannel: server.finish(confirmation) };
}

describe('CPace admission (secure-chat v2)', () => {
  let prs: Buffer;
  let wrongPrs: Buffer;
  const room = testRoom(3);
  before(async () => {
    prs = await deriveMasterSecret(PASSWORD, room.kdf);
    wrongPrs = await deriveMasterSecret('correct horse battery stapler', room.kdf);
  });

  it('both sides confirm and get the same channel keys, fresh for every connection', () => {
    const ctx = context();
    const first = run(prs, prs, ctx);
    assert.deepStrictEqual(first.clientChannel, first.serverChannel);
    assert.strictEqual(first.ya.length, 32);
    assert.strictEqual(first.ta.length, 32);
    assert.notDeepStrictEqual(first.ta, first.tb);
    const again = run(prs, prs, ctx);
    assert.notDeepStrictEqual(again.clientChannel.encryption, first.clientChannel.encryption, 'fresh scalars give fresh keys even for equal nonces');
    assert.notDeepStrictEqual(again.clientChannel.encryption, again.clientChannel.mac);
  });

  it('a wrong password: the client refuses the server\'s confirmation and sends nothing more', () => {
    const ctx = context();
    const client = startCpaceClient(prs, ctx);
    const server = respondCpaceServer(wrongPrs, ctx, client.message);
    assert.throws(() => client.finish(server.message, server.confirmation), GENERIC);
  });

  it('a client with a wrong password cannot produce a confirmation the server accepts', () => {
    const ctx = context();
    const client = startCpaceClient(wrongPrs, ctx);
    const server = respondCpaceServer(prs, ctx, client.message);
    assert.throws(() => client.finish(server.message, server.confirmation), GENERIC);
    // Even a client that skipped its check has no right confirmation to send.
    assert.throws(() => server.finish(randomBytes(32)), GENERIC);
  });

  it('binds the room id and both nonces: any difference in the context fails confirmation', () => {
    const ctx = context();
    for (const other of [
      { ...ctx, roomId: testRoom(4).roomId },
      { ...ctx, serverNonce: randomBytes(32) },
      { ...ctx, clientNonce: randomBytes(32) },
      { ...ctx, serverNonce: ctx.clientNonce, clientNonce: ctx.serverNonce },
    ]) {
      const client = startCpaceClient(prs, ctx);
      const server = respondCpaceServer(prs, other, client.message);
      assert.throws(() => client.finish(server.message, server.confirmation), GENERIC);
    }
  });

  it('refuses the identity and non-canonical encodings from either side, and wrong lengths', () => {
    const ctx = context();
    const invalid = [Buffer.alloc(32), Buffer.from('2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c', 'hex'), Buffer.alloc(31, 1), Buffer.alloc(33, 1), Buffer.alloc(32, 0xff)];
    for (const point of invalid) {
      assert.throws(() => respondCpaceServer(prs, ctx, point), GENERIC, `server given ${point.toString('hex')}`);
      const client = startCpaceClient(prs, ctx);
      assert.throws(() => client.finish(point, randomBytes(32)), GENERIC, `client given ${point.toString('hex')}`);
    }
    assert.throws(() => startCpaceClient(prs, { ...ctx, serverNonce: randomBytes(31) }), GENERIC);
    assert.throws(() => startCpaceClient(prs, { ...ctx, roomId: randomBytes(15) }), GENERIC);
  });

  it('a bit changed in any byte of Ya, Yb or either confirmation is refused', () => {
    const ctx = context();
    // One bit per byte, a different bit in each: every byte and every bit position, in 4 x 32 runs.
    for (let byte = 0; byte < 32; byte++) {
      const bit = byte * 8 + (byte % 8);
      const flip = (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        copy[bit >> 3] ^= 1 << (bit & 7);
        return copy;
      };
      const client = startCpaceClient(prs, ctx);
      const refusedByEitherSide = () => {
        const server = respondCpaceServer(prs, ctx, flip(client.message));
        client.finish(server.message, server.confirmation);
      };
      assert.throws(refusedByEitherSide, GENERIC, `Ya bit ${bit}`);

      const c2 = startCpaceClient(prs, ctx);
      const s2 = respondCpaceServer(prs, ctx, c2.message);
      assert.throws(() => c2.finish(flip(s2.message), s2.confirmation), GENERIC, `Yb bit ${bit}`);
      const c3 = startCpaceClient(prs, ctx);
      const s3 = respondCpaceServer(prs, ctx, c3.message);
      assert.throws(() => c3.finish(s3.message, flip(s3.confirmation)), GENERIC, `Tb bit ${bit}`);
      const c4 = startCpaceClient(prs, ctx);
      const s4 = respondCpaceServer(prs, ctx, c4.message);
      assert.throws(() => s4.finish(flip(c4.finish(s4.message, s4.confirmation).confirmation)), GENERIC, `Ta bit ${bit}`);
    }
  });

  it('each side finishes once: a second attempt is refused even with the right values', () => {
    const ctx = context();
    const client = startCpaceClient(prs, ctx);
    const server = respondCpaceServer(prs, ctx, client.message);
    assert.throws(() => client.finish(server.message, randomBytes(32)), GENERIC);
    assert.throws(() => client.finish(server.message, server.confirmation), GENERIC, 'a failed finish used the scalar up');
    const c2 = startCpaceClient(prs, ctx);
    const s2 = respondCpaceServer(prs, ctx, c2.message);
    const { confirmation } = c2.finish(s2.message, s2.confirmation);
    assert.throws(() => s2.finish(randomBytes(32)), GENERIC);
    assert.throws(() => s2.finish(confirmation), GENERIC);
  });
});

/**
 * No offline guessing. An offline guess is a test "is the password p?" that an attacker runs on
 * its own machine against something it captured, as often as it likes. For a guess p it can
 * compute PRS_p (PBKDF2) and the generator g_p, and anything from those and the captured bytes
 * that needs no secret scalar. `offlineChecks` runs every such test we can think of that could
 * link the capture to p: is a captured point g_p itself; does a confirmation (Tb, Ta) verify under
 * ISK made from any point the attacker can form (the identity, g_p, Ya, Yb and their sums and
 * differences). The property: the answers are the same under the right and a wrong guess, so the
 * capture says nothing about which guess is right.
 *
 * Why that holds for every test, not just these: in a prime-order group every element other than
 * the identity is y * g_p for exactly one scalar y, whatever p is, so Ya and Yb are equally good
 * messages under every guess (there is no invalid-for-this-guess message to partition on, as
 * there is in some PAKEs). Tb and Ta are MACs under keys from ISK, which needs
 * K = ya * yb * g_PRS: from (g_p, Ya, Yb) that is a computational Diffie-Hellman problem in the
 * group generated by g_p, for every p. A fake server is in the same position with only Ya, and the
 * client sends nothing else until the server has proven the password by a valid Tb: its only way
 * to learn anything is to pick a guess before it answers, one guess per connection, online.
 *
 * The positive controls show the checks would catch a leak: the same checks tell the right guess
 * at once from a version-1 handshake (its proof is an HMAC under a key from the password), or from
 * a v2 capture plus the client's secret scalar.
 */
describe('CPace: a recorded session or a fake server\'s transcript gives no offline check', () => {
  const room = testRoom(5);
  const RIGHT = 'sunshine42';
  const WRONG = 'sunshine43';

  interface Capture {
    readonly room: RoomParams;
    readonly ctx: CpaceContext;
    readonly ya: Buffer;
    readonly yb?: Buffer;
    readonly tb?: Buffer;
    readonly ta?: Buffer;
  }

  /** The confirmations docs/PROTOCOL.md defines, recomputed independently from a candidate K. */
  function confirmations(capture: Capture, yb: Buffer, k: Uint8Array) {
    const transcript = transcriptIr(capture.ya, Buffer.alloc(0), yb, Buffer.alloc(0));
    const isk = intermediateSessionKey(sessionId(capture.ctx), k, transcript);
    const key = (label: string) => hkdfSha256(isk, capture.room.roomId, Buffer.from(label, 'ascii'), 32);
    return { tb: hmacSha256(key(CHANNEL_LABELS.serverConfirmation), transcript), ta: hmacSha256(key(CHANNEL_LABELS.clientConfirmation), transcript) };
  }

  async function offlineChecks(capture: Capture, guess: string): Promise<boolean[]> {
    const g = calculateGenerator(await deriveMasterSecret(guess, capture.room.kdf), channelIdentifier(capture.room.roomId), sessionId(capture.ctx));
    const points = [capture.ya, capture.yb].filter((p): p is Buffer => p !== undefined).map((p) => ristretto255.Point.fromBytes(p));
    const checks = points.map((p) => p.equals(g));
    if (capture.yb && capture.tb && capture.ta) {
      const [ya, yb] = points;
      const candidates = [ristretto255.Point.ZERO, g, ya, yb, ya.add(yb), ya.subtract(yb), g.add(ya), g.add(yb), ya.add(ya), yb.add(yb)];
      for (const candidate of candidates) {
        const derived = confirmations(capture, capture.yb, candidate.toBytes());
        checks.push(constantTimeEqual(derived.tb, capture.tb), constantTimeEqual(derived.ta, capture.ta));
      }
    }
    return checks;
  }

  it('a passive recording of whole sessions: the right and a wrong guess give identical answers', async () => {
    const prs = await deriveMasterSecret(RIGHT, room.kdf);
    for (let session = 0; session < 8; session++) {
      const ctx = context(room);
      const recorded = run(prs, prs, ctx);
      const capture: Capture = { room, ctx, ya: recorded.ya, yb: recorded.yb, tb: recorded.tb, ta: recorded.ta };
      const right = await offlineChecks(capture, RIGHT);
      const wrong = await offlineChecks(capture, WRONG);
      assert.strictEqual(right.length, 22);
      assert.deepStrictEqual(right, wrong, `session ${session}`);
      assert.ok(right.every((answer) => !answer), 'no check links the capture to any guess');
    }
  });

  it('a fake server with a salt and room id of its choice: one guess per connection, none offline', async () => {
    // The squatter picks the room; the victim derives its PRS for that room and sends Ya.
    const fake: RoomParams = { roomId: Buffer.alloc(16, 0xee), kdf: { name: 'pbkdf2-sha256', iterations: 1000, salt: Buffer.alloc(16, 0xaa) } };
    const victimPrs = await deriveMasterSecret(RIGHT, fake.kdf);
    for (let connection = 0; connection < 8; connection++) {
      const ctx = context(fake);
      const victim = startCpaceClient(victimPrs, ctx);
      const capture: Capture = { room: fake, ctx, ya: victim.message };
      assert.deepStrictEqual(await offlineChecks(capture, RIGHT), await offlineChecks(capture, WRONG), `connection ${connection}`);
      // To answer at all the fake server must commit to one guess; a wrong one ends the connection
      // with nothing more from the client.
      const answer = respondCpaceServer(await deriveMasterSecret(WRONG, fake.kdf), ctx, victim.message);
      assert.throws(() => victim.finish(answer.message, answer.confirmation), GENERIC);
    }
  });

  it('positive control: the same checks find the password at once in a version-1 handshake', async () => {
    const keys = await deriveRoomKeys(RIGHT, room);
    const transcript = { room, serverNonce: randomBytes(32), clientNonce: randomBytes(32), usernameBlock: sealUsername(keys, 'victim') };
    const proof = clientProof(keys, transcript);
    const passes = async (guess: string) => {
      try {
        verifyClientProof(await deriveRoomKeys(guess, room), transcript, proof);
        return true;
      } catch {
        return false;
      }
    };
    assert.strictEqual(await passes(RIGHT), true);
    assert.strictEqual(await passes(WRONG), false);
  });

  it('positive control: with the client\'s secret scalar, which never leaves it, Ya would give the guess away', async () => {
    const ctx = context(room);
    const prs = await deriveMasterSecret(RIGHT, room.kdf);
    const scalar = randomBytes(32);
    scalar[31] &= 0x0f;
    const leaked = Buffer.from(scalar);
    const client = startCpaceClientWith(prs, ctx, () => Buffer.from(scalar));
    const matches = async (guess: string) => {
      const g = calculateGenerator(await deriveMasterSecret(guess, room.kdf), channelIdentifier(room.roomId), sessionId(ctx));
      return scalarMult(leaked, g).equals(client.message);
    };
    assert.strictEqual(await matches(RIGHT), true);
    assert.strictEqual(await matches(WRONG), false);
  });
});
