import * as assert from 'assert';
import * as net from 'net';
import { EmbeddedServer, ServerProcessError } from '../../../../src/host/rules/serverProcess';
import { RawClient } from '../../../support/rawClient';
import { SERVER_JS } from '../../../support/serverProcess';
import { TEST_PASSWORD, tempDataDir } from '../../../support/testServer';
import { RecordingLogger } from '../../../support/recordingLogger';
import { isAlive } from '../../../support/pid';

async function rejection(promise: Promise<unknown>): Promise<ServerProcessError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServerProcessError, String(error));
    return error;
  }
  throw new Error('expected the start to fail');
}

describe('embedded server process', function () {
  this.timeout(30_000);

  it('starts over IPC, logs without the password, stops and leaves no process', async () => {
    const logger = new RecordingLogger();
    const dataDir = tempDataDir();
    const server = await EmbeddedServer.start({ script: SERVER_JS, password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir, logger });
    assert.match(server.address, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.port > 0 && isAlive(server.pid));

    const taken = await rejection(EmbeddedServer.start({ script: SERVER_JS, password: TEST_PASSWORD, host: '127.0.0.1', port: server.port, dataDir: tempDataDir(), logger }));
    assert.strictEqual(taken.code, 'port-in-use');
    const locked = await rejection(EmbeddedServer.start({ script: SERVER_JS, password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir, logger }));
    assert.strictEqual(locked.code, 'data-dir-locked');

    await server.stop();
    assert.deepStrictEqual(await server.exited, { code: 0, signal: null, requested: true });
    assert.strictEqual(isAlive(server.pid), false);
    assert.ok(logger.lines.some((line) => line.startsWith('server: listening')), logger.lines.join('\n'));
    assert.ok(!logger.lines.join('\n').includes(TEST_PASSWORD));

    const wrong = await rejection(EmbeddedServer.start({ script: SERVER_JS, password: 'not the password', host: '127.0.0.1', port: 0, dataDir, logger }));
    assert.strictEqual(wrong.code, 'wrong-password');
  });

  it('reports a child that dies as an unrequested exit', async () => {
    const server = await EmbeddedServer.start({ script: SERVER_JS, password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir: tempDataDir(), logger: new RecordingLogger() });
    process.kill(server.pid, 'SIGKILL');
    assert.deepStrictEqual(await server.exited, { code: null, signal: 'SIGKILL', requested: false });
    await server.stop(); // Harmless after the fact.
    // The port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject).listen(server.port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('creates a named room on the running server with its own password, and says why a second one of the name fails', async () => {
    const logger = new RecordingLogger();
    const server = await EmbeddedServer.start({ script: SERVER_JS, password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir: tempDataDir(), serverSecret: 'a random secret', logger });
    try {
      await server.createRoom('team', 'team password');
      const { client, welcome } = await RawClient.join(`${server.address}/team`, 'team password', 'alice');
      assert.strictEqual(welcome.online.length, 1);
      assert.notStrictEqual(client.roomId!.toString('hex'), server.roomId);
      await client.close();
      const again = await rejection(server.createRoom('team', 'team password'));
      assert.strictEqual(again.code, 'bad-request');
      assert.match(again.message, /the room team exists already/);
      assert.ok(!logger.lines.join('\n').includes('team password') && !logger.lines.join('\n').includes('a random secret'));
    } finally {
      await server.stop();
    }
  });
});
