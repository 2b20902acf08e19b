import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { CryptoError } from '../../../src/crypto';
import { decodeBody } from '../../../src/protocol/body';
import { valueOrNull } from '../../../src/protocol/check';
import { roomFromPath, roomNameProblem } from '../../../src/protocol/roomName';
import { CLOSE_CODES } from '../../../src/protocol/wire';
import { StartError } from '../../../src/server/errors';
import { listNamedRooms } from '../../../src/server/namedRooms';
import { RawClient } from '../../support/rawClient';
import { TEST_PASSWORD, TestServer, startTestServer, tempDataDir } from '../../support/testServer';

const SERVER_SECRET = 'the operator unlocks the server';
const ALPHA = 'alpha room password';
const BETA = 'beta room password';

describe('rooms: one server, many rooms', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  const join = async (room: string, password: string, name: string) => {
    const { client, welcome } = await RawClient.join(`${server.address}${room}`, password, name);
    clients.push(client);
    return { client, welcome };
  };
  const refusal = async (room: string) => {
    const client = await RawClient.connect(`${server.address}${room}`);
    clients.push(client);
    const error = await client.next('error');
    return { error, closed: await client.waitClosed() };
  };

  beforeEach(async () => {
    server = await startTestServer({ serverSecret: SERVER_SECRET });
    await server.createRoom('alpha', ALPHA);
    await server.createRoom('beta', BETA);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it('keeps each room its own: room id, keys, presence and history', async () => {
    const alice = await join('/alpha', ALPHA, 'alice');
    const bob = await join('/beta', BETA, 'bob');
    const carol = await join('', TEST_PASSWORD, 'carol');
    const ids = [alice, bob, carol].map(({ client }) => client.roomId!.toString('hex'));
    assert.strictEqual(new Set(ids).size, 3, 'three rooms, three room ids');
    assert.strictEqual(ids[2], server.roomId, 'the path-less address is the default room');
    assert.notDeepStrictEqual(alice.client.keys!.messageEncryption, bob.client.keys!.messageEncryption);
    for (const { welcome } of [alice, bob, carol]) assert.strictEqual(welcome.online.length, 1, 'each sees only itself online');

    const dave = await join('/alpha', ALPHA, 'dave');
    assert.deepStrictEqual(dave.welcome.online.map((entry) => dave.client.name(entry)), ['alice', 'dave']);
    const ack = await alice.client.sendAndAck(alice.client.seal('only for alpha', 'alice'));
    assert.strictEqual(ack.seq, 1);
    const relayed = await dave.client.next('message');
    assert.strictEqual(valueOrNull(decodeBody(dave.client.open(relayed.envelope).plaintext))?.text, 'only for alpha');
    assert.deepStrictEqual((await bob.client.history({ limit: 10 })).messages, []);
    assert.deepStrictEqual((await carol.client.history({ limit: 10 })).messages, []);
    assert.strictEqual(bob.client.inbox.some((frame) => frame.type === 'message'), false);
    // Its own files, in its own directory.
    assert.deepStrictEqual(listNamedRooms(server.dataDir), ['alpha', 'beta']);
    assert.ok(fs.existsSync(path.join(server.dataDir, 'rooms', 'alpha', 'room.json')));
    assert.ok(fs.existsSync(path.join(server.dataDir, 'rooms', 'alpha', 'room-secret.json')));
  });

  it('refuses one room\'s password in another: the server\'s confirmation does not check', async () => {
    const client = await RawClient.connect(`${server.address}/beta`);
    clients.push(client);
    const offer = await client.offerCpace(ALPHA);
    await assert.rejects(client.confirm(offer), CryptoError);
    // The right one still admits, and the other room is untouched.
    await join('/beta', BETA, 'bob');
    await join('/alpha', ALPHA, 'alice');
  });

  it('refuses a path that names no room with unknown-room and close 4009, logging why but not the path', async () => {
    for (const room of ['/gamma', '/Alpha', '/alpha/x', `/${'a'.repeat(65)}`]) {
      const { error, closed } = await refusal(room);
      assert.strictEqual(error.code, 'unknown-room');
      assert.strictEqual(closed.code, CLOSE_CODES.unknownRoom);
    }
    const logged = server.logger.entries.filter((entry) => entry.event === 'unknown-room').map((entry) => entry.fields.why);
    assert.deepStrictEqual(logged, ['no-such-room', 'bad-name', 'bad-name', 'bad-name']);
    assert.ok(!server.logger.lines.some((line) => line.includes('gamma') || line.includes('Alpha')));
  });

  it('refuses a room name twice or against the rule', async () => {
    await assert.rejects(server.createRoom('alpha', 'another password'), /the room alpha exists already/);
    await assert.rejects(server.createRoom('Has Space', ALPHA), /a room name must be 1-64 characters of a-z, 0-9, "-" and "_"/);
  });

  it('closes a room left idle and opens it again, with its history, on the next socket', async () => {
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir, serverSecret: SERVER_SECRET, limits: { roomIdleMs: 20 } });
    const alice = await join('/alpha', ALPHA, 'alice');
    await alice.client.sendAndAck(alice.client.seal('kept', 'alice'));
    await alice.client.close();
    const closed = await server.logger.next('room-closed');
    assert.strictEqual(closed.fields.name, 'alpha');
    const again = await join('/alpha', ALPHA, 'bob');
    assert.strictEqual(again.welcome.latestSeq, 1);
    assert.strictEqual((await again.client.history({ limit: 10 })).messages.length, 1);
  });
});

describe('rooms: the server secret', () => {
  it('is checked at start, and without it the server serves its default room only', async () => {
    const dataDir = tempDataDir();
    let server = await startTestServer({ dataDir, serverSecret: SERVER_SECRET });
    await server.createRoom('alpha', ALPHA);
    await server.close();
    await assert.rejects(startTestServer({ dataDir, serverSecret: 'not the secret' }),
      (error: unknown) => error instanceof StartError && error.code === 'wrong-password' && /the server secret does not match/.test(error.message));
    server = await startTestServer({ dataDir });
    try {
      assert.strictEqual((await server.logger.next('rooms-locked')).fields.rooms, 1);
      await assert.rejects(server.createRoom('beta', BETA), /started without its server secret/);
      const client = await RawClient.connect(`${server.address}/alpha`);
      assert.strictEqual((await client.next('error')).code, 'unknown-room');
      assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.unknownRoom);
      const { client: member } = await RawClient.join(server.address, TEST_PASSWORD, 'carol');
      await member.close();
    } finally {
      await server.close();
    }
    server = await startTestServer({ dataDir, serverSecret: SERVER_SECRET });
    try {
      const { client } = await RawClient.join(`${server.address}/alpha`, ALPHA, 'alice');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('rooms: a failed start', () => {
  it('leaves no server.json behind when it cannot listen', async () => {
    const running = await startTestServer();
    try {
      const dataDir = tempDataDir();
      await assert.rejects(startTestServer({ dataDir, port: running.port, serverSecret: SERVER_SECRET }),
        (error: unknown) => error instanceof StartError && error.code === 'port-in-use');
      assert.deepStrictEqual(fs.readdirSync(dataDir).filter((name) => name.endsWith('.json')), []);
    } finally {
      await running.close();
    }
  });
});

describe('room names', () => {
  it('are 1-64 of a-z, 0-9, - and _; the root path is the default room', () => {
    assert.strictEqual(roomNameProblem('team-1_a'), null);
    assert.strictEqual(roomNameProblem('x'.repeat(64)), null);
    for (const bad of ['', 'x'.repeat(65), 'Team', 'a b', 'é', 'a.b', '..']) assert.notStrictEqual(roomNameProblem(bad), null, bad);
    assert.deepStrictEqual(roomFromPath('/'), { ok: true, room: null });
    assert.deepStrictEqual(roomFromPath(''), { ok: true, room: null });
    assert.deepStrictEqual(roomFromPath('/team'), { ok: true, room: 'team' });
    assert.deepStrictEqual(roomFromPath('/team/'), { ok: false, problem: 'the address path must be "/" or "/<room>": a room name must be 1-64 characters of a-z, 0-9, "-" and "_"' });
  });
});

describe('rooms: request targets', () => {
  it('refuses a request target that is no URL path with unknown-room, and stays up', async () => {
    const server = await startTestServer();
    try {
      for (const target of ['//[', 'http://[', '/%zz']) {
        const { port } = new URL(server.address);
        const response = await new Promise<string>((resolve, reject) => {
          const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(
            `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
          ));
          let read = '';
          socket.on('data', (chunk) => {
            read += chunk.toString('latin1');
            if (read.includes('unknown-room')) socket.destroy();
          });
          socket.on('close', () => resolve(read));
          socket.on('error', reject);
        });
        assert.match(response, /^HTTP\/1\.1 101 /, target);
        assert.ok(response.includes('"code":"unknown-room"'), target);
      }
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, 'alice');
      await client.close();
    } finally {
      await server.close();
    }
  });
});
