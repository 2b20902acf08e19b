import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PASSWORD_ENV } from '../../../src/server/cli';
import { StartError } from '../../../src/server/errors';
import { readPassword } from '../../../src/server/password';
import { changeKeysOffline } from '../../../src/server/keyChange';
import { ROOM_FILE } from '../../../src/server/room';
import { RecordingLogger } from '../../support/recordingLogger';
import { RawClient } from '../../support/rawClient';
import { TEST_PASSWORD, startTestServer, tempDataDir } from '../../support/testServer';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Every entry with what a change to it would alter (the directory's own times change with any entry). */
function directoryState(dataDir: string): Record<string, unknown> {
  const state: Record<string, unknown> = { '.': mode(dataDir) };
  for (const name of fs.readdirSync(dataDir).sort()) {
    const stat = fs.lstatSync(path.join(dataDir, name));
    state[name] = { mode: stat.mode, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, content: fs.readFileSync(path.join(dataDir, name)).toString('base64') };
  }
  return state;
}

describe('data directory hygiene', () => {
  it('does not follow a symlink planted at a temporary file name', async () => {
    const dataDir = tempDataDir();
    const victim = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secure-chat-victim-')), 'victim.txt');
    fs.writeFileSync(victim, 'untouched');
    fs.symlinkSync(victim, path.join(dataDir, `${ROOM_FILE}.tmp`));
    const server = await startTestServer({ dataDir });
    const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
    await client.sendAndAck(client.seal('store me'));
    await client.close();
    await server.close();
    assert.strictEqual(fs.readFileSync(victim, 'utf8'), 'untouched');
    for (const name of [ROOM_FILE]) assert.ok(fs.lstatSync(path.join(dataDir, name)).isFile(), `${name} is a regular file`);
  });

  it('makes a pre-existing data directory 0700 and its files 0600', async () => {
    const dataDir = tempDataDir();
    fs.chmodSync(dataDir, 0o755);
    const first = await startTestServer({ dataDir });
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, ROOM_FILE), 0o644);
    const second = await startTestServer({ dataDir });
    assert.strictEqual(mode(dataDir), 0o700);
    for (const name of fs.readdirSync(dataDir)) assert.strictEqual(mode(path.join(dataDir, name)), 0o600, name);
    await second.close();
  });

  for (const [what, contender] of [
    ['a second start', (dataDir: string) => startTestServer({ dataDir })],
    ['an offline key rotation', (dataDir: string) => changeKeysOffline({ dataDir, password: TEST_PASSWORD, logger: new RecordingLogger() })],
  ] as const) {
    it(`leaves every file of the running server as it is when ${what} is refused by the lock`, async () => {
      const server = await startTestServer();
      try {
        const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
        await client.sendAndAck(client.seal('stored before the contender'));
        await client.close();
        // Modes the operator chose while the server runs (a backup group, say): the holder's business.
        fs.chmodSync(server.dataDir, 0o750);
        fs.chmodSync(path.join(server.dataDir, ROOM_FILE), 0o640);
        const before = directoryState(server.dataDir);
        await assert.rejects(contender(server.dataDir), (error: StartError) => error.code === 'data-dir-locked');
        assert.deepStrictEqual(directoryState(server.dataDir), before);
      } finally {
        await server.close();
      }
    });
  }

  it('removes the password from the environment once read', async () => {
    process.env[PASSWORD_ENV] = 'from the environment';
    try {
      assert.strictEqual(await readPassword(), 'from the environment');
      assert.strictEqual(process.env[PASSWORD_ENV], undefined);
    } finally {
      delete process.env[PASSWORD_ENV];
    }
  });
});

describe('a start that fails', () => {
  it('leaves no room behind when the port is in use, so the next start may choose another password', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    const dataDir = tempDataDir();
    try {
      await assert.rejects(startTestServer({ dataDir, port }), (error: StartError) => error.code === 'port-in-use');
    } finally {
      squatter.close();
    }
    assert.deepStrictEqual(fs.readdirSync(dataDir), []);
    const server = await startTestServer({ dataDir, password: 'another password' });
    await RawClient.join(server.address, 'another password', 'alice').then(({ client }) => client.close());
    await server.close();
  });
});
