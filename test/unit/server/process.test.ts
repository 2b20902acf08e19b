import * as assert from 'assert';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { EXIT_CODES, limitFlag } from '../../../src/server/cli';
import { DEFAULT_LIMITS } from '../../../src/server/config';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { MemberKeys } from '../../support/memberKeys';
import { RawClient } from '../../support/rawClient';
import { forkServer, nextIpc, spawnServer, startLine } from '../../support/serverProcess';
import { storedMessages } from '../../support/storedMessages';
import { TEST_PASSWORD, tempDataDir } from '../../support/testServer';
import { decodeBody } from '../../../src/protocol/body';
import { valueOrNull } from '../../../src/protocol/check';

const KILLS = 5;
const ADDRESS = /^ws:\/\/127\.0\.0\.1:\d+$/;

describe('server process', function () {
  this.timeout(60_000);

  it('documents every flag and exit status in --help', async () => {
    const server = spawnServer(['--help']);
    assert.strictEqual((await server.exited).code, 0);
    for (const text of ['--host', '--port', '--data', '--help', 'SECURE_CHAT_PASSWORD', 'Exit status']) {
      assert.ok(server.output.stdout.includes(text), `--help mentions ${text}`);
    }
  });

  it('documents every limit with its default in --help', async () => {
    const server = spawnServer(['--help']);
    assert.strictEqual((await server.exited).code, 0);
    for (const name of Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[]) {
      assert.ok(server.output.stdout.includes(`--${limitFlag(name)} <n>`), `--help lists --${limitFlag(name)}`);
      assert.match(server.output.stdout, new RegExp(`--${limitFlag(name)} <n>.*\\(default ${DEFAULT_LIMITS[name]}\\)`), `--help gives the default of --${limitFlag(name)}`);
    }
  });

  it('takes limits from flags and a --config file, flags winning, and refuses bad ones with a clear error and status 2', async () => {
    const config = path.join(tempDataDir(), 'limits.json');
    fs.writeFileSync(config, JSON.stringify({ handshakeTimeoutMs: 60_000, framesPerSecond: 2.5 }));
    const server = spawnServer(['--port', '0', '--data', tempDataDir(), '--config', config, '--handshake-timeout-ms', '200'], TEST_PASSWORD);
    const idle = await RawClient.connect(await startLine(server));
    assert.strictEqual((await idle.waitClosed()).code, CLOSE_CODES.handshakeTimeout);
    server.child.kill('SIGTERM');
    assert.strictEqual((await server.exited).code, 0);

    fs.writeFileSync(config, JSON.stringify({ framesPerSecnd: 2 }));
    const refusals: [string[], RegExp][] = [
      [['--frames-per-second', 'fast'], /--frames-per-second must be a number, got fast/],
      [['--max-connections', '1.5'], /--max-connections must be a whole number, got 1.5/],
      [['--max-unauthenticated', '2000'], /--max-unauthenticated \(2000\) must be below --max-connections \(1024\)/],
      [['--storage-quota-bytes', '0'], /--storage-quota-bytes must be a positive number/],
      [['--config', config], /unknown limit framesPerSecnd/],
      [['--config', path.join(config, 'missing')], /--config .*missing/],
    ];
    for (const [args, message] of refusals) {
      const refused = spawnServer(['--port', '0', '--data', tempDataDir(), ...args], TEST_PASSWORD);
      assert.strictEqual((await refused.exited).code, EXIT_CODES.usage, args.join(' '));
      assert.match(refused.output.stderr, message);
    }
  });

  it('rejects unknown flags and a missing password with exit status 2', async () => {
    const bogus = spawnServer(['--bogus'], TEST_PASSWORD);
    assert.strictEqual((await bogus.exited).code, EXIT_CODES.usage);
    const noPassword = spawnServer(['--port', '0', '--data', tempDataDir()]);
    assert.strictEqual((await noPassword.exited).code, EXIT_CODES.usage);
    assert.match(noPassword.output.stderr, /SECURE_CHAT_PASSWORD/);
  });

  it('prints exactly one start line, serves, stops on SIGTERM with status 0 and refuses a wrong password', async () => {
    const dataDir = tempDataDir();
    const server = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
    const address = await startLine(server);
    assert.match(address, ADDRESS);
    const { client } = await RawClient.join(address, TEST_PASSWORD, 'alice');
    await client.sendAndAck(client.seal('hi'));
    server.child.kill('SIGTERM');
    assert.strictEqual((await client.waitClosed()).code, 1001);
    assert.strictEqual((await server.exited).code, 0);
    assert.strictEqual(server.output.stdout, `${address}\n`);
    assert.ok(!server.output.stderr.includes(TEST_PASSWORD));

    const wrong = spawnServer(['--port', '0', '--data', dataDir], 'not the password');
    assert.strictEqual((await wrong.exited).code, EXIT_CODES.wrongPassword);
    assert.match(wrong.output.stderr, /password does not match/);
  });

  it('takes its password and options over IPC and answers start, stop and a port in use', async () => {
    const dataDir = tempDataDir();
    const server = forkServer();
    server.child.send({ type: 'start', password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir });
    const listening = await nextIpc(server);
    assert.strictEqual(listening.type, 'listening');
    const address = listening.type === 'listening' ? listening.address : '';
    assert.match(address, ADDRESS);

    const rival = forkServer();
    rival.child.send({ type: 'start', password: TEST_PASSWORD, host: '127.0.0.1', port: Number(address.split(':')[2]), dataDir: tempDataDir() });
    const refused = await nextIpc(rival);
    assert.strictEqual(refused.type === 'error' && refused.code, 'port-in-use');
    assert.strictEqual((await rival.exited).code, EXIT_CODES.listenFailed);

    server.child.send({ type: 'stop' });
    assert.deepStrictEqual(await nextIpc(server), { type: 'stopped' });
    assert.strictEqual((await server.exited).code, 0);
  });

  it('rotates and changes the password over IPC with a member online', async () => {
    const server = forkServer();
    server.child.send({ type: 'start', password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir: tempDataDir() });
    const listening = await nextIpc(server);
    const address = listening.type === 'listening' ? listening.address : '';
    const { client } = await RawClient.join(address, TEST_PASSWORD, 'alice');
    server.child.send({ type: 'rotate' });
    assert.deepStrictEqual(await nextIpc(server), { type: 'epoch-started', change: 'rotate', epoch: 2 });
    assert.strictEqual((await client.nextEpoch()).number, 2);
    server.child.send({ type: 'change-password', password: 'the new one' });
    assert.deepStrictEqual(await nextIpc(server), { type: 'epoch-started', change: 'change-password', epoch: 3 });
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.passwordChanged);
    const { client: again } = await RawClient.join(address, 'the new one', 'alice', client.identity);
    assert.deepStrictEqual([...again.epochs.keys()], [1, 2, 3]);
    await again.close();
    server.child.send({ type: 'stop' });
    assert.deepStrictEqual(await nextIpc(server), { type: 'stopped' });
    assert.strictEqual((await server.exited).code, 0);
  });

  it('changes the password of a stopped server\'s data directory from the command line, and rotates', async () => {
    const dataDir = tempDataDir();
    const first = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
    const address = await startLine(first);
    const { client } = await RawClient.join(address, TEST_PASSWORD, 'alice');
    await client.sendAndAck(client.seal('before the change'));
    await client.close();
    first.child.kill('SIGTERM');
    assert.strictEqual((await first.exited).code, 0);

    const change = spawnServer(['--data', dataDir, '--change-password'], TEST_PASSWORD, 'the new one');
    assert.strictEqual((await change.exited).code, 0, change.output.stderr);
    assert.strictEqual(change.output.stdout, 'epoch 2\n');
    const wrong = spawnServer(['--data', dataDir, '--rotate'], TEST_PASSWORD);
    assert.strictEqual((await wrong.exited).code, EXIT_CODES.wrongPassword, 'the old password no longer opens the room');
    const rotate = spawnServer(['--data', dataDir, '--rotate'], 'the new one');
    assert.strictEqual((await rotate.exited).code, 0, rotate.output.stderr);
    assert.strictEqual(rotate.output.stdout, 'epoch 3\n');

    const again = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], 'the new one');
    const { client: reader } = await RawClient.join(await startLine(again), 'the new one', 'bob');
    assert.deepStrictEqual([...reader.epochs.keys()], [1, 2, 3]);
    const [stored] = (await reader.history({ limit: 10 })).messages;
    assert.strictEqual(valueOrNull(decodeBody(reader.open(stored.envelope).plaintext))?.text, 'before the change');
    await reader.close();
    again.child.kill('SIGTERM');
    assert.strictEqual((await again.exited).code, 0);
  });

  it('keeps every acknowledged message through repeated kill -9', async () => {
    const dataDir = tempDataDir();
    const acked = new Map<string, number>();
    const members = new MemberKeys();
    const logs: string[] = [];
    for (let round = 0; round <= KILLS; round++) {
      const server = spawnServer(['--port', '0', '--data', dataDir], TEST_PASSWORD);
      const address = await startLine(server);
      const { client } = await RawClient.join(address, TEST_PASSWORD, 'reader', members.of('reader'));
      // Every message acknowledged before the kills is there, with its seq, exactly once.
      const stored = await storedMessages(client);
      for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} (seq ${seq}) survives kill ${round}`);
      if (round === KILLS) {
        server.child.kill('SIGTERM');
        assert.strictEqual((await server.exited).code, 0);
        logs.push(server.output.stderr);
        break;
      }
      // Three connections stream (each with its own rate budget); the kill lands after a random
      // number of acks, while the other senders' messages are in flight.
      const killAfter = acked.size + randomInt(10, 80);
      const senders = await Promise.all(['s1', 's2', 's3'].map((name) => RawClient.join(address, TEST_PASSWORD, name, members.of(name)).then((j) => j.client)));
      const pump = async (sender: RawClient) => {
        try {
          for (;;) {
            const sealed = sender.seal('durable?');
            sender.send({ type: 'send', envelope: sealed.envelope });
            const outcome = await sender.outcome(sealed.messageId);
            if (outcome.type !== 'ack') continue;
            acked.set(sealed.messageId.toString('hex'), outcome.seq);
            if (acked.size >= killAfter) server.child.kill('SIGKILL');
          }
        } catch {
          // The socket closed: the server is gone.
        }
      };
      await Promise.all(senders.map(pump));
      assert.strictEqual((await server.exited).signal, 'SIGKILL');
      logs.push(server.output.stderr);
      client.ws.terminate();
    }
    const torn = logs.join('').match(/journal-torn-record-truncated/g)?.length ?? 0;
    assert.ok(acked.size >= 50, `${acked.size} messages acknowledged`);
    console.log(`      durability: ${acked.size} acknowledged messages all present after ${KILLS} kill -9s; ${torn} torn records truncated at restart`);
  });
});
