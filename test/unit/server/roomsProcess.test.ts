import * as assert from 'assert';
import { EXIT_CODES, PASSWORD_ENV, ROOM_PASSWORD_ENV, SERVER_SECRET_ENV } from '../../../src/server/cli';
import { RawClient, within } from '../../support/rawClient';
import { ServerProcess, forkServer, nextIpc, spawnServerWith, startLine } from '../../support/serverProcess';
import { TEST_PASSWORD, tempDataDir } from '../../support/testServer';

const SECRET = 'operator secret for the rooms';
const TEAM = 'team room password';

async function run(args: readonly string[], variables: Readonly<Record<string, string>>, stdin?: string): Promise<ServerProcess & { code: number | null }> {
  const process = spawnServerWith(args, variables, stdin);
  const { code } = await within(process.exited, 30_000, `node dist/server.js ${args.join(' ')}`);
  return { ...process, code };
}

describe('rooms from the command line and over IPC', function () {
  this.timeout(60_000);

  it('creates a room with "rooms create" (password on stdin), lists it, and the server started with the secret serves it', async () => {
    const dataDir = tempDataDir();
    const created = await run(['rooms', 'create', 'team', '--data', dataDir], { [SERVER_SECRET_ENV]: SECRET }, `${TEAM}\n`);
    assert.strictEqual(created.code, EXIT_CODES.ok, created.output.stderr);
    assert.strictEqual(created.output.stdout, '/team\n');
    const second = await run(['rooms', 'create', 'side', '--data', dataDir], { [SERVER_SECRET_ENV]: SECRET, [ROOM_PASSWORD_ENV]: 'side room password' });
    assert.strictEqual(second.code, EXIT_CODES.ok, second.output.stderr);
    const listed = await run(['rooms', 'list', '--data', dataDir], {});
    assert.strictEqual(listed.output.stdout, 'side\nteam\n');

    const again = await run(['rooms', 'create', 'team', '--data', dataDir], { [SERVER_SECRET_ENV]: SECRET }, 'other\n');
    assert.strictEqual(again.code, EXIT_CODES.usage);
    assert.match(again.output.stderr, /the room team exists already/);
    const badName = await run(['rooms', 'create', 'Team!', '--data', dataDir], { [SERVER_SECRET_ENV]: SECRET }, 'x\n');
    assert.strictEqual(badName.code, EXIT_CODES.usage);
    assert.match(badName.output.stderr, /a room name must be 1-64 characters of a-z, 0-9/);
    const noSecret = await run(['rooms', 'create', 'other', '--data', dataDir], {}, 'x\n');
    assert.strictEqual(noSecret.code, EXIT_CODES.usage);
    assert.match(noSecret.output.stderr, /no password: set SECURE_CHAT_SERVER_SECRET/);
    const wrongSecret = await run(['rooms', 'create', 'other', '--data', dataDir], { [SERVER_SECRET_ENV]: 'not it' }, 'x\n');
    assert.strictEqual(wrongSecret.code, EXIT_CODES.wrongPassword);

    const server = spawnServerWith(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], { [PASSWORD_ENV]: TEST_PASSWORD, [SERVER_SECRET_ENV]: SECRET });
    try {
      const address = await startLine(server);
      const { client, welcome } = await RawClient.join(`${address}/team`, TEAM, 'alice');
      assert.strictEqual(welcome.online.length, 1);
      await client.sendAndAck(client.seal('in team'));
      const { client: other } = await RawClient.join(address, TEST_PASSWORD, 'bob');
      assert.deepStrictEqual((await other.history({ limit: 5 })).messages, []);
      await Promise.all([client.close(), other.close()]);
    } finally {
      server.child.kill('SIGTERM');
      assert.strictEqual((await within(server.exited, 20_000, 'the server to stop')).code, 0);
    }
    for (const secret of [SECRET, TEAM, TEST_PASSWORD]) {
      for (const output of [created.output, server.output]) assert.ok(!output.stderr.includes(secret) && !output.stdout.includes(secret));
    }
    const wrong = await run(['--port', '0', '--data', dataDir], { [PASSWORD_ENV]: TEST_PASSWORD, [SERVER_SECRET_ENV]: 'not it' });
    assert.strictEqual(wrong.code, EXIT_CODES.wrongPassword);
    assert.match(wrong.output.stderr, /the server secret does not match/);
  });

  it('creates a room over IPC on a running server started with a server secret', async () => {
    const server = forkServer();
    server.child.send({ type: 'start', password: TEST_PASSWORD, host: '127.0.0.1', port: 0, dataDir: tempDataDir(), serverSecret: SECRET });
    const listening = await nextIpc(server);
    const address = listening.type === 'listening' ? listening.address : '';
    server.child.send({ type: 'create-room', name: 'team', password: TEAM });
    assert.deepStrictEqual(await nextIpc(server), { type: 'room-created', name: 'team' });
    const { client } = await RawClient.join(`${address}/team`, TEAM, 'alice');
    await client.close();
    server.child.send({ type: 'create-room', name: 'team', password: TEAM });
    const failed = await nextIpc(server);
    assert.strictEqual(failed.type, 'room-failed');
    assert.match(failed.type === 'room-failed' ? failed.message : '', /the room team exists already/);
    server.child.send({ type: 'stop' });
    assert.deepStrictEqual(await nextIpc(server), { type: 'stopped' });
    assert.strictEqual((await server.exited).code, 0);
  });
});
