// The handshake's own crypto, per side and per connection, with the PBKDF2 output already derived:
// version 1's HMAC proofs (baseline) against version 2's CPace run with both confirmations
// (subject). The client pays it once per connect, beside one PBKDF2; the server once per
// connection attempt, which is its CPU cost per handshake. PBKDF2 at the default work factor is
// measured alongside, so the CPace share of a connect can be read off.
import { performance } from 'perf_hooks';
import {
  DEFAULT_ITERATIONS, deriveMasterSecret, epochKeys, openUsername, respondCpaceServer, sealUsername, startCpaceClient,
} from '../src/crypto';
import { randomBytes } from '../src/crypto/primitives';
import { clientProof, serverProof, verifyClientProof, verifyServerProof } from '../test/support/v1Handshake';
import { Row, fixed, ratio } from './report';
import { interleave, median } from './stats';

const ROUNDS = 5;
const HANDSHAKES_PER_ROUND = 40;
const room = { roomId: randomBytes(16), kdf: { name: 'pbkdf2-sha256' as const, iterations: DEFAULT_ITERATIONS, salt: randomBytes(16) } };

interface PerSide {
  readonly clientMs: number;
  readonly serverMs: number;
}

/** Runs `handshake` HANDSHAKES_PER_ROUND times; it reports which side each step belongs to. */
function perHandshake(handshake: (client: <T>(step: () => T) => T, server: <T>(step: () => T) => T) => void): PerSide {
  let clientMs = 0;
  let serverMs = 0;
  const timed = (add: (ms: number) => void) => <T>(step: () => T): T => {
    const started = performance.now();
    const result = step();
    add(performance.now() - started);
    return result;
  };
  const client = timed((ms) => (clientMs += ms));
  const server = timed((ms) => (serverMs += ms));
  for (let i = 0; i < HANDSHAKES_PER_ROUND; i++) handshake(client, server);
  return { clientMs: clientMs / HANDSHAKES_PER_ROUND, serverMs: serverMs / HANDSHAKES_PER_ROUND };
}

export async function cpaceHandshake(log: (line: string) => void): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const started = performance.now();
  const prs = await deriveMasterSecret('bench password', room.kdf);
  const pbkdf2Ms = performance.now() - started;
  const keys = epochKeys(prs, room.roomId, 0);

  // Version 1: the client's proof, the server's checks of it and of the user block, its proof, the client's check.
  const v1 = async () => perHandshake((client, server) => {
    const transcript = { room, serverNonce: randomBytes(32), clientNonce: randomBytes(32), usernameBlock: sealUsername(keys, 'bench') };
    const proof = client(() => clientProof(keys, transcript));
    const answer = server(() => {
      verifyClientProof(keys, transcript, proof);
      openUsername(keys, transcript.usernameBlock);
      return serverProof(keys, transcript);
    });
    client(() => verifyServerProof(keys, transcript, answer));
  });
  // Version 2: a whole CPace run with both confirmations.
  const v2 = async () => perHandshake((client, server) => {
    const ctx = { roomId: room.roomId, serverNonce: randomBytes(32), clientNonce: randomBytes(32) };
    const a = client(() => startCpaceClient(prs, ctx));
    const b = server(() => respondCpaceServer(prs, ctx, a.message));
    const { confirmation } = client(() => a.finish(b.message, b.confirmation));
    server(() => b.finish(confirmation));
  });
  const runs = await interleave(ROUNDS, v1, v2);
  const side = (key: keyof PerSide) => ({ v1: median(runs.baseline.map((r) => r[key])), v2: median(runs.subject.map((r) => r[key])) });
  const client = side('clientMs');
  const server = side('serverMs');
  const list = (values: PerSide[], key: keyof PerSide) => values.map((r) => fixed(r[key], 3)).join(', ');
  log(`  PBKDF2 at ${fixed(DEFAULT_ITERATIONS)} iterations: ${fixed(pbkdf2Ms, 1)} ms`);
  log(`  client crypto per handshake (ms): v1 ${list(runs.baseline, 'clientMs')}; CPace ${list(runs.subject, 'clientMs')}`);
  log(`  server crypto per handshake (ms): v1 ${list(runs.baseline, 'serverMs')}; CPace ${list(runs.subject, 'serverMs')}`);
  const share = (client.v2 / (client.v2 + pbkdf2Ms)) * 100;
  return {
    rows: [
      {
        bench: 'handshake crypto', metric: `client per connect beside PBKDF2 ${fixed(pbkdf2Ms)} ms (CPace share ${fixed(share, 1)}%)`,
        baseline: `${fixed(client.v1, 3)} ms (v1 proofs)`, subject: `${fixed(client.v2, 3)} ms (CPace)`, ratio: ratio(client.v2, client.v1), target: '',
      },
      {
        bench: 'handshake crypto', metric: 'server CPU per handshake',
        baseline: `${fixed(server.v1, 3)} ms (v1 proofs)`, subject: `${fixed(server.v2, 3)} ms (CPace)`, ratio: ratio(server.v2, server.v1), target: '',
      },
    ],
    details: { cpace: { pbkdf2Ms, runs } },
  };
}
