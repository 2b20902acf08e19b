import * as assert from 'assert';
import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import { RawClient, within } from '../support/rawClient';
import { TEST_PASSWORD } from '../support/testServer';
import type { AttackerReport } from './support/attacker';
import { ChildServer } from './support/childServer';

/** More than the server's 1,024 sockets: the attacker asks for every slot there is. */
const ATTACK_SOCKETS = 1_100;
/** A refused attacker socket is opened again this soon: constant pressure, no busy loop. */
const RETRY_MS = 100;
const TRIALS = 10;
const MEMBER_BUDGET_MS = 2_000;
/** Linux routes all of 127/8 to loopback: the attacker is another address than the members (127.0.0.1). */
const ATTACKER_ADDRESS = '127.0.0.2';

function report<T extends AttackerReport['type']>(attacker: ChildProcess, type: T): Promise<Extract<AttackerReport, { type: T }>> {
  return within(new Promise((resolve) => {
    const listener = (message: AttackerReport) => {
      if (message.type !== type) return;
      attacker.off('message', listener);
      resolve(message as Extract<AttackerReport, { type: T }>);
    };
    attacker.on('message', listener);
  }), 30_000, `the attacker's ${type}`);
}

describe('reliability: slot exhaustion', function () {
  this.timeout(90_000);
  let server: ChildServer;
  let attacker: ChildProcess;

  afterEach(async () => {
    attacker.kill('SIGKILL');
    await server.stop();
  });

  it('lets a member connect and chat within 2 s, every time, while one address holds as many sockets as it can', async () => {
    server = await ChildServer.start({});
    attacker = fork(path.join(__dirname, 'support', 'attacker.js'), [server.address, String(ATTACK_SOCKETS), String(RETRY_MS), ATTACKER_ADDRESS]);
    await report(attacker, 'wave');
    const times: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const started = Date.now();
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, `member${trial}`);
      await client.sendAndAck(client.seal(`trial ${trial}`));
      times.push(Date.now() - started);
      await client.close();
    }
    const stats = report(attacker, 'figures');
    attacker.send('stop');
    const { opened, refused } = await stats;
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`      slot exhaustion: ${ATTACKER_ADDRESS} kept ${ATTACK_SOCKETS} attempts open at a time: ${opened} got a WebSocket (then timed out or were refused), ${refused} were dropped at the TCP accept; ${TRIALS} members from 127.0.0.1 joined and had a message acknowledged in ${sorted[0]}-${sorted.at(-1)} ms (median ${sorted[Math.floor(TRIALS / 2)]} ms, budget ${MEMBER_BUDGET_MS} ms)`);
    for (const [trial, ms] of times.entries()) assert.ok(ms < MEMBER_BUDGET_MS, `member ${trial} took ${ms} ms`);
  });
});
