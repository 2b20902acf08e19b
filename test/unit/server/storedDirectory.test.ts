// The member directory kept in the data directory (members.json, sealed under room.json's directory
// key): bindings and renames survive restarts, rotations and password changes, a damaged file
// refuses the start and is left as it is, and no claim is acknowledged before it is on disk.
// Real servers on real files; the standalone key changes through dist/server.js.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { IdentityKey } from '../../../src/crypto';
import { EXIT_CODES } from '../../../src/server/cli';
import { StartError } from '../../../src/server/errors';
import { ROOM_FILE } from '../../../src/server/room';
import { DIRECTORY_FILE } from '../../../src/server/storedDirectory';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { RawClient } from '../../support/rawClient';
import { spawnServer, startLine } from '../../support/serverProcess';
import { storedBindings } from '../../support/storedDirectory';
import { TEST_PASSWORD, TestServer, startTestServer } from '../../support/testServer';

const NEW_PASSWORD = 'another room password';

describe('member directory on disk', function () {
  this.timeout(60_000);
  let server: TestServer | undefined;
  const clients: RawClient[] = [];

  /** Joins as `name` with `identity`; resolves once welcomed. */
  const join = async (name: string, identity: IdentityKey, password = TEST_PASSWORD, address = server!.address) => {
    const { client } = await RawClient.join(address, password, name, identity);
    clients.push(client);
    return client;
  };
  /** A fresh key presenting `name` is refused with name-taken. */
  const refused = async (name: string, password = TEST_PASSWORD, address = server!.address) => {
    const client = await RawClient.connect(address);
    clients.push(client);
    await client.present(password, name);
    await client.error('name-taken');
    assert.strictEqual(client.inbox.some((frame) => frame.type === 'welcome'), false);
  };
  const restart = async (password = TEST_PASSWORD) => {
    const { dataDir } = server!;
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server!.close();
    server = undefined;
    server = await startTestServer({ dataDir, password });
  };

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await server?.close();
    server = undefined;
  });

  it('keeps bindings and renames across a restart: another key is refused every name a member held', async () => {
    server = await startTestServer();
    const alice = IdentityKey.generate();
    const bob = IdentityKey.generate();
    await join('alice', alice);
    await join('bob', bob);
    await join('ally', alice);
    const file = fs.readFileSync(path.join(server.dataDir, DIRECTORY_FILE), 'utf8');
    for (const name of ['alice', 'ally', 'bob']) assert.ok(!file.includes(name), 'names are sealed, not plain text');
    assert.ok(!file.includes(alice.publicKey.toString('base64')), 'keys are sealed too');
    await restart();
    await refused('alice');
    await refused('ALLY');
    await refused('bob');
    // The members keep their names: the current one, and the one held before the rename.
    await join('ally', alice);
    await join('bob', bob);
    await join('alice', alice);
    await server.close();
    assert.deepStrictEqual(await storedBindings(server.dataDir, TEST_PASSWORD), new Map([
      [alice.publicKey.toString('base64'), ['ally', 'alice']],
      [bob.publicKey.toString('base64'), ['bob']],
    ]));
  });

  it('keeps the directory through a rotation and a password change of the running server', async () => {
    server = await startTestServer();
    const alice = IdentityKey.generate();
    await join('alice', alice);
    await server.rotate();
    await refused('alice');
    await server.changePassword(NEW_PASSWORD);
    await refused('alice', NEW_PASSWORD);
    await restart(NEW_PASSWORD);
    await refused('alice', NEW_PASSWORD);
    await join('alice', alice, NEW_PASSWORD);
  });

  it('keeps the directory through --rotate and --change-password of the stopped server', async () => {
    server = await startTestServer();
    const { dataDir } = server;
    const alice = IdentityKey.generate();
    await join('alice', alice);
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    server = undefined;
    const sealed = fs.readFileSync(path.join(dataDir, DIRECTORY_FILE));
    const rotate = spawnServer(['--data', dataDir, '--rotate'], TEST_PASSWORD);
    assert.strictEqual((await rotate.exited).code, 0, rotate.output.stderr);
    const change = spawnServer(['--data', dataDir, '--change-password'], TEST_PASSWORD, NEW_PASSWORD);
    assert.strictEqual((await change.exited).code, 0, change.output.stderr);
    // room.json re-sealed the directory's key under the new password; the directory file needs no rewrite.
    assert.ok(fs.readFileSync(path.join(dataDir, DIRECTORY_FILE)).equals(sealed));
    const again = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], NEW_PASSWORD);
    try {
      const address = await startLine(again);
      await refused('alice', NEW_PASSWORD, address);
      await join('alice', alice, NEW_PASSWORD, address);
    } finally {
      for (const client of clients.splice(0)) client.ws.terminate();
      again.child.kill('SIGTERM');
      assert.strictEqual((await again.exited).code, 0);
    }
  });

  describe('a members.json the start cannot use', () => {
    /** A data directory whose members.json binds alice, and the file's bytes. */
    const withDirectory = async () => {
      server = await startTestServer();
      await join('alice', IdentityKey.generate());
      await Promise.all(clients.splice(0).map((client) => client.close()));
      await server.close();
      const { dataDir } = server;
      server = undefined;
      return { dataDir, file: path.join(dataDir, DIRECTORY_FILE) };
    };
    const refusesStart = async (dataDir: string, file: string, why: RegExp) => {
      const before = fs.readFileSync(file);
      await assert.rejects(startTestServer({ dataDir }), (error: StartError) => {
        assert.strictEqual(error.code, 'store-corrupt');
        assert.ok(error.message.startsWith(`${file} is not a valid member directory (`), error.message);
        assert.match(error.message, why);
        assert.match(error.message, /it was left as it is$/);
        return true;
      });
      assert.ok(fs.readFileSync(file).equals(before), 'the file is untouched');
      assert.deepStrictEqual(fs.readdirSync(dataDir).filter((name) => name.startsWith(DIRECTORY_FILE)), [DIRECTORY_FILE], 'nothing written beside it');
    };

    it('refuses a file that is not JSON, or not the frame', async () => {
      const { dataDir, file } = await withDirectory();
      fs.writeFileSync(file, '{"version":1,"sealed":');
      await refusesStart(dataDir, file, /\(not JSON\)/);
      fs.writeFileSync(file, '{"version":2,"sealed":"AAAA"}');
      await refusesStart(dataDir, file, /\("version" must be 1\)/);
      fs.writeFileSync(file, '{"version":1,"sealed":"not base64!"}');
      await refusesStart(dataDir, file, /\("sealed" must be 1-16777216 bytes of base64\)/);
    });

    it('refuses a sealed directory with one bit changed, or another room\'s', async () => {
      const { dataDir, file } = await withDirectory();
      const good = fs.readFileSync(file, 'utf8');
      const { sealed } = JSON.parse(good) as { sealed: string };
      const bytes = Buffer.from(sealed, 'base64');
      bytes[bytes.length - 40] ^= 1;
      fs.writeFileSync(file, JSON.stringify({ version: 1, sealed: bytes.toString('base64') }));
      await refusesStart(dataDir, file, /it does not open under this room's key: damaged, or not this room's/);
      const foreign = await withDirectory();
      fs.copyFileSync(foreign.file, file);
      await refusesStart(dataDir, file, /it does not open under this room's key/);
    });

    it('refuses a file beside a room file without its key (rewritten by an older server)', async () => {
      const { dataDir, file } = await withDirectory();
      const room = JSON.parse(fs.readFileSync(path.join(dataDir, ROOM_FILE), 'utf8')) as Record<string, unknown>;
      delete room.directoryKey;
      fs.writeFileSync(path.join(dataDir, ROOM_FILE), JSON.stringify(room));
      await refusesStart(dataDir, file, /it does not open under this room's key/);
    });

    it('refuses a file it cannot read, and a standalone start exits 4 naming it', async () => {
      const { dataDir, file } = await withDirectory();
      fs.rmSync(file);
      fs.mkdirSync(file);
      await assert.rejects(startTestServer({ dataDir }), (error: StartError) =>
        error.code === 'store-corrupt' && error.message.startsWith(`${file} cannot be read (`) && error.message.endsWith('it was left as it is'));
      assert.ok(fs.statSync(file).isDirectory());
      fs.rmdirSync(file);
      fs.writeFileSync(file, 'garbage');
      const standalone = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir], TEST_PASSWORD);
      assert.strictEqual((await standalone.exited).code, EXIT_CODES.storeCorrupt);
      assert.ok(standalone.output.stderr.includes(JSON.stringify(`${file} is not a valid member directory (not JSON); it was left as it is`).slice(1, -1)), standalone.output.stderr);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'garbage');
    });
  });

  it('starts a data directory from before the directory empty, giving room.json its key without moving the epoch', async () => {
    server = await startTestServer();
    const { dataDir } = server;
    await join('alice', IdentityKey.generate());
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
    server = undefined;
    const roomFile = path.join(dataDir, ROOM_FILE);
    const room = JSON.parse(fs.readFileSync(roomFile, 'utf8')) as { directoryKey?: string; epochs: unknown[] };
    delete room.directoryKey;
    fs.writeFileSync(roomFile, JSON.stringify(room));
    fs.rmSync(path.join(dataDir, DIRECTORY_FILE));
    server = await startTestServer({ dataDir });
    const migrated = JSON.parse(fs.readFileSync(roomFile, 'utf8')) as { directoryKey?: string; epochs: unknown[] };
    assert.strictEqual(Buffer.from(migrated.directoryKey ?? '', 'base64').length, 80);
    assert.deepStrictEqual(migrated.epochs.map((epoch) => ({ ...(epoch as object), secret: undefined })), room.epochs.map((epoch) => ({ ...(epoch as object), secret: undefined })));
    const newcomer = IdentityKey.generate();
    await join('alice', newcomer);
    await restart();
    await refused('alice');
  });

  it('acknowledges no claim it could not write: the member is closed with internal, and its next claim is written', async () => {
    server = await startTestServer();
    // A directory where the atomic write's temporary file must go: the write fails.
    const blocker = path.join(server.dataDir, `${DIRECTORY_FILE}.tmp`);
    fs.mkdirSync(blocker);
    fs.writeFileSync(path.join(blocker, 'in the way'), '');
    const alice = IdentityKey.generate();
    const failed = await RawClient.connect(server.address);
    failed.identity = alice;
    clients.push(failed);
    await failed.present(TEST_PASSWORD, 'alice');
    await failed.error('internal');
    assert.strictEqual((await failed.waitClosed()).code, CLOSE_CODES.goingAway);
    assert.strictEqual(failed.inbox.some((frame) => frame.type === 'welcome'), false);
    assert.strictEqual((await server.logger.next('directory-write-failed')).level, 'error');
    assert.strictEqual(fs.existsSync(path.join(server.dataDir, DIRECTORY_FILE)), false);
    fs.rmSync(blocker, { recursive: true });
    await join('alice', alice);
    await restart();
    await refused('alice');
  });

  it('welcomes many new members claiming at once, each of them on disk after a restart', async () => {
    server = await startTestServer({ limits: { maxUnauthenticatedPerAddress: 64 } });
    const members = Array.from({ length: 24 }, (_, i) => ({ name: `m${i}`, identity: IdentityKey.generate() }));
    await Promise.all(members.map((member) => join(member.name, member.identity)));
    await restart();
    const bindings = await storedBindings(server.dataDir, TEST_PASSWORD);
    assert.deepStrictEqual(members.map((member) => bindings.get(member.identity.publicKey.toString('base64'))), members.map((member) => [member.name]));
    await refused('m0');
    await refused('m23');
  });
});
