// The property protocol 2 exists for, on the real wire: frames captured from real sockets (a whole
// recorded session with the real server, and what a real client gives a fake server) allow no
// offline check of a password guess. For a guess, an attacker computes everything that is a
// deterministic function of it (the PBKDF2 output, the keys version 1 derived from it, the storage
// keys, the CPace generator of each captured session) and tries every check it has against every
// captured byte string. The right guess and a wrong one must get the same answers, all negative.
// The positive control runs the same checks on a capture that does depend on the password (a
// version-1 envelope of a migrated room's history): they find the right guess at once.
import * as assert from 'assert';
import { once } from 'events';
import { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import { ristretto255 } from '@noble/curves/ed25519.js';
import {
  RoomParams, createRoomParams, deriveMasterSecret, epochKeys, expandRoomKeys, openEpochMessage, openEpochSecret, openUsername,
  respondCpaceServer, roomVerifier, storageKeys,
} from '../../../src/crypto';
import { calculateGenerator, channelIdentifier, sessionId } from '../../../src/crypto/cpace';
import { ChatClient } from '../../../src/client';
import { ClientFrame, PROTOCOL_VERSION, ServerFrame, encodeServerFrame, parseClientFrame, parseServerFrame } from '../../../src/protocol/wire';
import { writeLegacyStore } from '../../support/legacyStore';
import { RawClient } from '../../support/rawClient';
import { TEST_ITERATIONS, TEST_PASSWORD, TestServer, startTestServer, tempDataDir } from '../../support/testServer';

const RIGHT = TEST_PASSWORD;
const WRONG = 'correct horse battery stapler';

/** Every frame both ways, parsed, as an eavesdropper on ws:// records them. */
interface Capture {
  readonly room: RoomParams;
  readonly server: ServerFrame[];
  readonly client: ClientFrame[];
}

function tap(client: RawClient, capture: { server: ServerFrame[]; client: ClientFrame[] }): void {
  const sendRaw = client.sendRaw.bind(client);
  client.sendRaw = (data) => {
    const parsed = parseClientFrame(String(data));
    if (parsed.ok) capture.client.push(parsed.value);
    sendRaw(data);
  };
  client.ws.prependListener('message', (data) => {
    const parsed = parseServerFrame(String(data));
    if (parsed.ok) capture.server.push(parsed.value);
  });
}

/** Every byte string in the capture, from every field of every frame. */
function byteStrings(capture: Capture): Buffer[] {
  const found: Buffer[] = [];
  const walk = (value: unknown): void => {
    if (Buffer.isBuffer(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([capture.server, capture.client]);
  return found;
}

const attempt = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

/** Every offline check an attacker holding the capture can run for `guess`; true means "the guess fits". */
async function offlineChecks(capture: Capture, guess: string): Promise<boolean[]> {
  const { roomId } = capture.room;
  const prs = await deriveMasterSecret(guess, capture.room.kdf);
  const derived = expandRoomKeys(prs, roomId);
  const stored = storageKeys(prs, roomId);
  const deterministic = [prs, derived.messageEncryption, derived.messageMac, derived.usernameEncryption, derived.handshakeAuth,
    stored.encryption, stored.mac, roomVerifier(derived)];
  const checks: boolean[] = [];
  const bytes = byteStrings(capture);
  // 1. Nothing captured is, or contains, a value the guess determines.
  for (const value of deterministic) checks.push(bytes.some((b) => b.includes(value.subarray(0, 16))));
  // 2. CPace: each captured share against the guess's generator for that connection.
  const hello = capture.server.find((f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello')!;
  for (const cpace of capture.client.filter((f): f is Extract<ClientFrame, { type: 'cpace' }> => f.type === 'cpace')) {
    const g = calculateGenerator(prs, channelIdentifier(roomId), sessionId({ roomId, serverNonce: hello.nonce, clientNonce: cpace.nonce }));
    checks.push(ristretto255.Point.fromBytes(cpace.share).equals(g));
  }
  for (const confirm of capture.server.filter((f): f is Extract<ServerFrame, { type: 'confirm' }> => f.type === 'confirm')) {
    checks.push(capture.client.some((f) => f.type === 'cpace' && ristretto255.Point.fromBytes(confirm.share).equals(
      calculateGenerator(prs, channelIdentifier(roomId), sessionId({ roomId, serverNonce: hello.nonce, clientNonce: f.nonce })))));
  }
  // 3. Sealed epoch secrets: under the guess's storage keys, or under keys version 1 derived from it.
  for (const epoch of capture.server.filter((f): f is Extract<ServerFrame, { type: 'epoch' }> => f.type === 'epoch')) {
    checks.push(attempt(() => openEpochSecret(stored, roomId, epoch.number, epoch.secret)));
    checks.push(attempt(() => openEpochSecret({ encryption: derived.messageEncryption, mac: derived.messageMac }, roomId, epoch.number, epoch.secret)));
  }
  // 4. Envelopes and presence: under the keys the guess derives, read as any epoch.
  const guessedEpoch = (number: number) => ({ ...derived, epoch: number });
  for (const frame of [...capture.server, ...capture.client]) {
    const envelopes = frame.type === 'message' || frame.type === 'send' ? [frame.envelope] : frame.type === 'history' && 'messages' in frame ? frame.messages.map((m) => m.envelope) : [];
    for (const envelope of envelopes) checks.push(attempt(() => openEpochMessage(guessedEpoch, envelope)));
    for (const entry of frame.type === 'welcome' ? frame.online : frame.type === 'join' || frame.type === 'leave' ? [frame.user] : []) {
      checks.push(attempt(() => openUsername(derived, entry.subarray(4))));
      checks.push(attempt(() => openUsername(epochKeys(prs, roomId, entry.readUInt32BE(0)), entry.subarray(4))));
    }
  }
  return checks;
}

describe('protocol 2 on the wire: no offline check of a password guess', () => {
  let server: TestServer | undefined;
  const clients: ChatClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.dispose();
    await server?.close();
    server = undefined;
  });

  it('a recorded session (two members, messages, a rotation, history): the right and a wrong guess get the same answers', async () => {
    server = await startTestServer();
    const capture = { server: [] as ServerFrame[], client: [] as ClientFrame[] };
    const alice = await RawClient.connect(server.address);
    tap(alice, capture);
    capture.server.push(...alice.inbox);
    await alice.authenticate(RIGHT, 'alice');
    const bob = await RawClient.connect(server.address);
    tap(bob, capture);
    capture.server.push(...bob.inbox);
    await bob.authenticate(RIGHT, 'bob');
    await alice.sendAndAck(alice.seal('before the rotation', 'alice'));
    await server.rotate();
    await alice.nextEpoch();
    await bob.nextEpoch();
    await alice.sendAndAck(alice.seal('after the rotation', 'alice'));
    await bob.history({ limit: 10 });
    await Promise.all([alice.close(), bob.close()]);
    const hello = capture.server.find((f) => f.type === 'hello');
    assert.ok(hello && hello.type === 'hello');
    const recorded: Capture = { room: hello.room, ...capture };
    assert.deepStrictEqual([...new Set(recorded.client.map((f) => f.type))].sort(), ['confirm', 'cpace', 'history', 'present', 'send']);
    assert.ok(recorded.server.filter((f) => f.type === 'epoch').length >= 4);

    const right = await offlineChecks(recorded, RIGHT);
    const wrong = await offlineChecks(recorded, WRONG);
    assert.ok(right.length >= 30, `${right.length} checks`);
    assert.deepStrictEqual(right, wrong, 'the capture tells the right guess from a wrong one in no check');
    assert.deepStrictEqual(right.filter(Boolean), [], 'no check links the capture to any guess');
  });

  it('a fake server with a room and salt of its choice gets one CPace share and nothing it can check offline', async () => {
    const fake = createRoomParams(TEST_ITERATIONS);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const capture = { server: [] as ServerFrame[], client: [] as ClientFrame[] };
    const serverNonce = Buffer.alloc(32, 0x5a);
    let closed: Promise<unknown> = Promise.resolve();
    wss.on('connection', (ws: WebSocket) => {
      closed = once(ws, 'close');
      const send = (frame: ServerFrame) => {
        capture.server.push(frame);
        ws.send(encodeServerFrame(frame));
      };
      send({ type: 'hello', version: PROTOCOL_VERSION, room: fake, nonce: serverNonce });
      ws.on('message', (data) => {
        const parsed = parseClientFrame(String(data));
        if (!parsed.ok) return;
        const frame = parsed.value;
        capture.client.push(frame);
        if (frame.type !== 'cpace') return;
        // To answer at all it must commit to one guess: its one online try on this connection.
        void deriveMasterSecret(WRONG, fake.kdf).then((guessPrs) => {
          const answer = respondCpaceServer(guessPrs, { roomId: fake.roomId, serverNonce, clientNonce: frame.nonce }, frame.share);
          send({ type: 'confirm', share: answer.message, proof: answer.confirmation });
        });
      });
    });
    try {
      const victim = new ChatClient({ address: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, password: RIGHT, username: 'victim', minIterations: TEST_ITERATIONS, reconnect: { baseMs: 1, capMs: 20 } });
      clients.push(victim);
      const stopped = new Promise((resolve) => victim.on('state', (state) => state.status === 'error' && resolve(state)));
      victim.connect();
      assert.deepStrictEqual(await stopped, { status: 'error', kind: 'auth-failed', message: 'the server did not prove it knows this room password: the password is wrong, or this is not your room\'s server' });
      // The client closed the connection: whatever it sent is in.
      await closed;
      assert.deepStrictEqual(capture.client.map((f) => f.type), ['cpace'], 'the CPace share and nothing else, and no retry');
      const captured: Capture = { room: fake, ...capture };
      const right = await offlineChecks(captured, RIGHT);
      assert.deepStrictEqual(right, await offlineChecks(captured, WRONG));
      assert.deepStrictEqual(right.filter(Boolean), []);
    } finally {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  it('positive control: the same checks find the password in a migrated room\'s version-1 history', async () => {
    const dataDir = tempDataDir();
    await writeLegacyStore(dataDir, 2, 0);
    server = await startTestServer({ dataDir });
    const capture = { server: [] as ServerFrame[], client: [] as ClientFrame[] };
    const reader = await RawClient.connect(server.address);
    tap(reader, capture);
    capture.server.push(...reader.inbox);
    await reader.authenticate(RIGHT, 'reader');
    await reader.history({ limit: 10 });
    await reader.close();
    const hello = capture.server.find((f) => f.type === 'hello');
    assert.ok(hello && hello.type === 'hello');
    const captured: Capture = { room: hello.room, ...capture };
    const right = await offlineChecks(captured, RIGHT);
    const wrong = await offlineChecks(captured, WRONG);
    assert.strictEqual(right.filter(Boolean).length, 2, 'both version-1 envelopes open under the right guess');
    assert.deepStrictEqual(wrong.filter(Boolean), []);
  });
});
