// The per-message cost of member identity: sealing and opening an envelope of version 2 (baseline:
// the message path without signatures) against version 3 (subject: the same plus an Ed25519
// signature, and its verification after the MAC). The sender pays the seal once per message; the
// server and every receiver pay the open. Each signer's decoded key is cached after its first
// message, as in a room with a few members.
import { performance } from 'perf_hooks';
import { IdentityKey, epochKeys, newEpochSecret, openRoomMessage, sealEpochMessage, sealSignedMessage } from '../src/crypto';
import { randomBytes } from '../src/crypto/primitives';
import { Row, fixed, ratio } from './report';
import { interleave, median } from './stats';

const ROUNDS = 7;
const MESSAGES_PER_ROUND = 1000;
const body = Buffer.from(JSON.stringify({ text: 'A typical chat line: the build is green again, merging now.' }));

interface PerMessage {
  readonly sealUs: number;
  readonly openUs: number;
}

export async function messageSignatures(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const keys = epochKeys(newEpochSecret(), randomBytes(16), 1);
  const keyring = () => keys;
  const identity = IdentityKey.generate();
  const message = () => ({ username: 'bench', plaintext: body, timestamp: Date.now() });
  const timed = (seal: () => Buffer) => async (): Promise<PerMessage> => {
    const envelopes: Buffer[] = [];
    let started = performance.now();
    for (let i = 0; i < MESSAGES_PER_ROUND; i++) envelopes.push(seal());
    const sealUs = ((performance.now() - started) * 1000) / MESSAGES_PER_ROUND;
    started = performance.now();
    for (const envelope of envelopes) openRoomMessage(keyring, envelope);
    return { sealUs, openUs: ((performance.now() - started) * 1000) / MESSAGES_PER_ROUND };
  };
  const runs = await interleave(
    ROUNDS,
    timed(() => sealEpochMessage(keys, message()).envelope),
    timed(() => sealSignedMessage(keys, identity, message()).envelope),
  );
  const side = (key: keyof PerMessage) => ({ v2: median(runs.baseline.map((r) => r[key])), v3: median(runs.subject.map((r) => r[key])) });
  const seal = side('sealUs');
  const open = side('openUs');
  const list = (key: keyof PerMessage) => `v2 ${runs.baseline.map((r) => fixed(r[key], 1)).join(', ')}; v3 ${runs.subject.map((r) => fixed(r[key], 1)).join(', ')}`;
  log(`  seal per message (µs): ${list('sealUs')}`);
  log(`  open per message (µs): ${list('openUs')}`);
  const row = (metric: string, figures: { v2: number; v3: number }): Row => ({
    bench: 'message signatures', metric, baseline: `${fixed(figures.v2, 1)} µs (v2)`, subject: `${fixed(figures.v3, 1)} µs (v3, signed)`,
    ratio: ratio(figures.v3, figures.v2), target: '',
  });
  return {
    rows: [
      row(`seal per message, sender (sign: +${fixed(seal.v3 - seal.v2, 1)} µs)`, seal),
      row(`open per message, server and each receiver (verify: +${fixed(open.v3 - open.v2, 1)} µs)`, open),
    ],
    details: { signatures: { bodyBytes: body.length, messagesPerRound: MESSAGES_PER_ROUND, runs } },
  };
}
