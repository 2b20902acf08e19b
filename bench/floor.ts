// The floor of a message's required work on the server, each operation timed alone over the same
// signed envelopes (version 3): the MAC check, the signature check, the whole open (openSignedMessage:
// MAC, signature and both decryptions), the replay check, the journal's share
// (record encoding, write and fdatasync per group commit) and the insert into a sealed segment
// (buildSegmentImage, on the sealer thread). CPU time, not wall time, so that it compares with the
// server's CPU per message; the journal's wall time (mostly waiting for the disk) is kept beside it.
import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { IdentityKey, epochKeys, newEpochSecret, openSignedMessage, sealSignedMessage } from '../src/crypto';
import { LAYOUT_V3 as LAYOUT } from '../src/crypto/envelope';
import { verifyEnvelopeSignature } from '../src/crypto/identity';
import { ED25519_SIGNATURE_BYTES, hmacSha256, randomBytes } from '../src/crypto/primitives';
import { encodeBody } from '../src/protocol/body';
import { DEFAULT_LIMITS } from '../src/server/config';
import { buildSegmentImage } from '../src/server/database';
import { JournalWriter, encodeRecords, journalFile } from '../src/server/journal';
import { RecentKeys } from '../src/server/recentKeys';
import { tempDataDir } from '../test/support/testServer';

const SAMPLES = 20_000;
const COMMIT_BATCH = 128;

export interface Floor {
  readonly macUs: number;
  /** The Ed25519 check of the signature alone (the signer's decoded key cached, as in a room of few members). */
  readonly verifyUs: number;
  /** MAC, signature and both decryptions. */
  readonly openUs: number;
  readonly replayUs: number;
  /** CPU of encode + write + fdatasync per message, in commits of COMMIT_BATCH. */
  readonly journalUs: number;
  readonly journalWallUs: number;
  readonly sealUs: number;
  /** openUs + replayUs + journalUs: the least a message costs the server before its ack. */
  readonly messagePathUs: number;
  /** messagePathUs + sealUs: all of a message's required work, its share of a sealed segment included. */
  readonly requiredUs: number;
}

const cpuUs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

/** CPU microseconds per call of `body`, over `count` calls. */
function perCall(count: number, body: (i: number) => void): number {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) body(i);
  return cpuUs(started) / count;
}

/** Segments' worth of messages the floor's segment builds run through (see measureFloor). */
const WARM_SEAL_MESSAGES = 50_000;

export async function measureFloor(textBytes: number): Promise<Floor> {
  const keys = epochKeys(newEpochSecret(), randomBytes(16), 1);
  const identity = IdentityKey.generate();
  const plaintext = encodeBody({ text: 'x'.repeat(textBytes) });
  const envelopes = Array.from({ length: SAMPLES }, () => sealSignedMessage(keys, identity, { username: 'bench', plaintext, timestamp: Date.now() }).envelope);
  const macUs = perCall(envelopes.length, (i) => hmacSha256(keys.messageMac, envelopes[i].subarray(0, envelopes[i].length - 32)));
  const verifyUs = perCall(envelopes.length, (i) => {
    const signatureAt = envelopes[i].length - 32 - ED25519_SIGNATURE_BYTES;
    verifyEnvelopeSignature(identity.publicKey, envelopes[i].subarray(0, signatureAt), envelopes[i].subarray(signatureAt, signatureAt + ED25519_SIGNATURE_BYTES));
  });
  const openUs = perCall(envelopes.length, (i) => openSignedMessage(() => keys, envelopes[i]));
  const recent = new RecentKeys();
  const ids = envelopes.map((e) => e.subarray(LAYOUT.messageId, LAYOUT.timestamp));
  const ivs = envelopes.map((e) => e.subarray(LAYOUT.messageIv, LAYOUT.ciphertext));
  const replayUs = perCall(envelopes.length, (i) => {
    if (!recent.has(ids[i], ivs[i])) recent.add(ids[i], ivs[i]);
  });
  const dir = tempDataDir();
  try {
    const journal = await JournalWriter.create(journalFile(dir, 1));
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let first = 0; first < envelopes.length; first += COMMIT_BATCH) {
      const batch = envelopes.slice(first, first + COMMIT_BATCH).map((envelope, i) => ({ seq: first + i + 1, receivedAt: Date.now(), envelope }));
      await journal.append(encodeRecords(batch));
    }
    const journalUs = cpuUs(cpu) / envelopes.length;
    const journalWallUs = ((performance.now() - started) * 1000) / envelopes.length;
    await journal.close();
    const records = envelopes.slice(0, DEFAULT_LIMITS.segmentMessages).map((envelope, i) => ({ seq: i + 1, receivedAt: Date.now(), envelope }));
    // The sealer thread builds one segment after another: the first builds of a thread (sql.js
    // starting, its WebAssembly compiled lazily, then tiered up while hot) are not what a segment
    // costs. The best build of about 50,000 messages' worth is: per message, the 2,000-message
    // segment's 3rd build costs 2.5 times its 8th on this machine.
    const seals: number[] = [];
    for (let round = 0; round < Math.max(3, Math.ceil(WARM_SEAL_MESSAGES / records.length)); round++) {
      const sealCpu = process.cpuUsage();
      await buildSegmentImage(records);
      seals.push(cpuUs(sealCpu) / records.length);
    }
    const sealUs = Math.min(...seals);
    const messagePathUs = openUs + replayUs + journalUs;
    return { macUs, verifyUs, openUs, replayUs, journalUs, journalWallUs, sealUs, messagePathUs, requiredUs: messagePathUs + sealUs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function describeFloor(floor: Floor, commitBatch = COMMIT_BATCH): string {
  return `MAC ${floor.macUs.toFixed(1)}, signature ${floor.verifyUs.toFixed(1)}, openSignedMessage (MAC + signature + both decrypts) ${floor.openUs.toFixed(1)}, `
    + `replay check ${floor.replayUs.toFixed(2)}, `
    + `journal (encode + write + fdatasync per ${commitBatch}) ${floor.journalUs.toFixed(1)} CPU (${floor.journalWallUs.toFixed(1)} wall), `
    + `insert into a sealed segment ${floor.sealUs.toFixed(1)} (sealer thread); before the ack ${floor.messagePathUs.toFixed(1)}, in all ${floor.requiredUs.toFixed(1)}`;
}
