import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { IdentityKey, peekMessageId, sealSignedMessage } from '../../src/crypto';
import { decodeBody, encodeBody } from '../../src/protocol/body';
import { CLOSE_CODES } from '../../src/protocol/wire';
import { EXIT_CODES } from '../../src/server/cli';
import { ROOM_FILE } from '../../src/server/room';
import { ClusterNode, logged, startNode, stopNode } from '../support/clusterNode';
import { FrameOf, RawClient } from '../support/rawClient';
import { RedisServer } from '../support/redisServer';
import { storedMessages } from '../support/storedMessages';
import { spawnServer, startLine } from '../support/serverProcess';
import { TEST_PASSWORD, tempDataDir } from '../support/testServer';

/** How long a killed node's members may stay listed: its liveness key's lifetime and one beat. */
const REAP_WITHIN_MS = 15_000;

describe('cluster: nodes sharing a room through Redis Streams', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  const nodes: ClusterNode[] = [];
  const clients: RawClient[] = [];

  beforeEach(async () => {
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await Promise.all(nodes.splice(0).map(stopNode));
    await redis.stop();
  });

  async function cluster(size: number): Promise<ClusterNode[]> {
    const first = await startNode(redis);
    nodes.push(first);
    for (let i = 1; i < size; i++) nodes.push(await startNode(redis, first));
    return [...nodes];
  }

  /** `identity`: the member's key, for a member with a connection on another node already. */
  async function join(node: ClusterNode, name: string, identity?: IdentityKey): Promise<{ client: RawClient; welcome: FrameOf<'welcome'> }> {
    const joined = await RawClient.join(node.address, TEST_PASSWORD, name, identity);
    clients.push(joined.client);
    return joined;
  }

  /** The next join or leave frame `client` gets, as the name it carries. */
  async function presenceChange(client: RawClient, type: 'join' | 'leave', ms?: number): Promise<string> {
    const frame = await client.next(type, () => true, ms);
    return client.name(frame.user);
  }

  it('two nodes: a message sent on one reaches the members of both, once, and both serve the same history', async () => {
    const [a, b] = await cluster(2);
    const { client: alice } = await join(a, 'alice');
    const { client: bob } = await join(b, 'bob');
    assert.strictEqual(await presenceChange(alice, 'join'), 'bob', 'a member on node A hears of one joining node B');
    const { client: carol } = await join(a, 'carol');
    assert.strictEqual(await presenceChange(bob, 'join'), 'carol');

    const first = alice.seal('from A');
    const firstAck = await alice.sendAndAck(first);
    for (const member of [bob, carol]) {
      const frame = await member.next('message', (m) => m.seq === firstAck.seq);
      assert.deepStrictEqual(frame.envelope, first.envelope);
    }
    const second = bob.seal('from B');
    const secondAck = await bob.sendAndAck(second);
    assert.strictEqual(secondAck.seq, firstAck.seq + 1, 'one order of seqs across the nodes, without gaps');
    for (const member of [alice, carol]) assert.strictEqual((await member.next('message', (m) => m.seq === secondAck.seq)).envelope.equals(second.envelope), true);
    // The sender gets its ack, not its own message back; bob's arrived after alice's would have.
    assert.deepStrictEqual(alice.inbox.filter((frame) => frame.type === 'message'), []);
    assert.deepStrictEqual(bob.inbox.filter((frame) => frame.type === 'message'), []);

    for (const reader of [alice, bob]) {
      const all = await reader.history({ limit: 50 });
      assert.deepStrictEqual(all.messages.map((m) => m.seq), [firstAck.seq, secondAck.seq]);
      assert.deepStrictEqual(all.messages.map((m) => m.envelope), [first.envelope, second.envelope]);
      assert.strictEqual(all.hasMore, false);
      const newest = await reader.history({ limit: 1 });
      assert.deepStrictEqual([newest.messages.map((m) => m.seq), newest.hasMore], [[secondAck.seq], true]);
      const older = await reader.history({ before: secondAck.seq, limit: 1 });
      assert.deepStrictEqual([older.messages.map((m) => m.seq), older.hasMore], [[firstAck.seq], false]);
      const after = await reader.history({ after: firstAck.seq, limit: 5 });
      assert.deepStrictEqual([after.messages.map((m) => m.seq), after.hasMore], [[secondAck.seq], false]);
    }

    const { welcome } = await join(b, 'dave');
    assert.deepStrictEqual(welcome.online.map((entry) => bob.name(entry)).sort(), ['alice', 'bob', 'carol', 'dave']);
    assert.strictEqual(welcome.latestSeq, secondAck.seq);
    await bob.close();
    assert.strictEqual(await presenceChange(alice, 'leave'), 'bob', 'a member leaving node B is heard on node A');
  });

  it('refuses a replay across nodes: the envelope stored through one node is "replay" on every node', async () => {
    const [a, b] = await cluster(2);
    const { client: alice } = await join(a, 'alice');
    const { client: bob } = await join(b, 'bob');
    // Only its signer may send an envelope at all (another member's copy is wrong-signer), so the
    // replay comes from the same member's second connection, on the other node.
    const { client: aliceOnB } = await join(b, 'alice', alice.identity);
    const sealed = alice.seal('once');
    const ack = await alice.sendAndAck(sealed);
    await bob.next('message', (m) => m.seq === ack.seq);
    for (const client of [aliceOnB, alice]) {
      client.send({ type: 'send', envelope: sealed.envelope });
      const outcome = await client.outcome(sealed.messageId);
      assert.deepStrictEqual([outcome.type, outcome.type === 'error' && outcome.code], ['error', 'replay']);
    }
    // Two copies sent at once through two nodes: exactly one is stored.
    const twice = alice.seal('raced');
    alice.send({ type: 'send', envelope: twice.envelope });
    aliceOnB.send({ type: 'send', envelope: twice.envelope });
    const outcomes = await Promise.all([alice.outcome(twice.messageId), aliceOnB.outcome(twice.messageId)]);
    assert.deepStrictEqual(outcomes.map((o) => (o.type === 'ack' ? 'ack' : o.code)).sort(), ['ack', 'replay']);
    const stored = await storedMessages(bob);
    assert.deepStrictEqual([...stored.keys()].sort(), [sealed.messageId.toString('hex'), twice.messageId.toString('hex')].sort());
  });

  it('three nodes: messages sent at once through all of them reach every member in the one order', async () => {
    const all = await cluster(3);
    const members = [];
    for (const [i, node] of all.entries()) members.push((await join(node, `member${i}`)).client);
    const PER_MEMBER = 10;
    // Every seq a member hears of, acks and messages alike, in the order the frames arrive.
    const heard = members.map((member) => {
      const seqs: number[] = [];
      member.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; seq?: number };
        if (frame.type === 'ack' || frame.type === 'message') seqs.push(frame.seq!);
      });
      return seqs;
    });
    const sent = members.map((member) => Array.from({ length: PER_MEMBER }, (_, i) => member.seal(`${i}`)));
    members.forEach((member, i) => sent[i].forEach((s) => member.send({ type: 'send', envelope: s.envelope })));
    const total = members.length * PER_MEMBER;
    // What each member learns: its own messages by ack, the others' as they arrive, in arrival order.
    const views = await Promise.all(members.map(async (member, i) => {
      const seqs = new Map<string, number>();
      for (const s of sent[i]) seqs.set(s.messageId.toString('hex'), (await member.next('ack', (ack) => ack.id.equals(s.messageId))).seq);
      const arrived: number[] = [];
      while (arrived.length < total - PER_MEMBER) {
        const message = await member.next('message');
        arrived.push(message.seq);
        seqs.set(peekMessageId(message.envelope)!.toString('hex'), message.seq);
      }
      assert.deepStrictEqual(arrived, [...arrived].sort((x, y) => x - y), `member${i} gets the messages in seq order`);
      return seqs;
    }));
    assert.deepStrictEqual([...views[0].values()].sort((x, y) => x - y), Array.from({ length: total }, (_, i) => i + 1));
    for (const view of views.slice(1)) assert.deepStrictEqual(view, views[0]);
    for (const seqs of heard) assert.deepStrictEqual(seqs, Array.from({ length: total }, (_, i) => i + 1), 'acks and messages in seq order, as from one server');
    for (const member of members) assert.deepStrictEqual(await storedMessages(member), views[0]);
  });

  it('kill -9 of a node under load: its members reconnect to another node and every acknowledged message is there', async () => {
    const [a, b] = await cluster(2);
    const { client: watcher } = await join(b, 'watcher');
    const senders = [];
    for (let i = 0; i < 3; i++) senders.push((await join(a, `sender${i}`)).client);
    const acked = new Map<string, number>();
    const KILL_AFTER = 30;
    let killed = false;
    const load = senders.map(async (sender, i) => {
      for (let n = 0; ; n++) {
        const sealed = sender.seal(`${i}:${n}`);
        sender.send({ type: 'send', envelope: sealed.envelope });
        let outcome;
        try {
          outcome = await sender.outcome(sealed.messageId);
        } catch {
          return; // The node died under it.
        }
        if (outcome.type === 'ack') acked.set(sealed.messageId.toString('hex'), outcome.seq);
        if (acked.size >= KILL_AFTER && !killed) {
          killed = true;
          a.process.child.kill('SIGKILL');
        }
      }
    });
    await Promise.all(load);
    assert.strictEqual((await a.process.exited).signal, 'SIGKILL');
    assert.ok(acked.size >= KILL_AFTER);
    // Node A's members leave for the others once its liveness key expires.
    const left = new Set<string>();
    while (left.size < senders.length) left.add(await presenceChange(watcher, 'leave', REAP_WITHIN_MS));
    assert.deepStrictEqual([...left].sort(), ['sender0', 'sender1', 'sender2']);
    // They come back through node B, as the same identities, and find everything acknowledged.
    for (const [i, sender] of senders.entries()) {
      const { client } = await RawClient.join(b.address, TEST_PASSWORD, `sender${i}`, sender.identity);
      clients.push(client);
      const stored = await storedMessages(client);
      for (const [id, seq] of acked) assert.strictEqual(stored.get(id), seq, `acknowledged message ${id} (seq ${seq}) survives the kill`);
    }
  });

  it('Redis killed and restarted: sends are refused as "unavailable" on open connections, then resume without a node restart', async () => {
    const [a, b] = await cluster(2);
    const { client: alice } = await join(a, 'alice');
    const { client: bob } = await join(b, 'bob');
    const before = alice.seal('before');
    const beforeAck = await alice.sendAndAck(before);
    await bob.next('message', (m) => m.seq === beforeAck.seq);

    const outageLogged = logged(a, 'cluster-unavailable');
    await redis.kill();
    await outageLogged;
    const during = alice.seal('during');
    alice.send({ type: 'send', envelope: during.envelope });
    const refused = await alice.outcome(during.messageId);
    assert.deepStrictEqual([refused.type, refused.type === 'error' && refused.code], ['error', 'unavailable']);
    const page = alice.history({ limit: 10 });
    const pageRefused = await alice.next('error', (e) => e.requestId !== undefined);
    assert.strictEqual(pageRefused.code, 'unavailable');
    void page.catch(() => undefined);
    assert.strictEqual(alice.ws.readyState, alice.ws.OPEN, 'the connection stays open through the outage');

    const backOnA = logged(a, 'cluster-available');
    const backOnB = logged(b, 'cluster-available');
    await redis.restart();
    await Promise.all([backOnA, backOnB]);
    const ack = await alice.sendAndAck(during);
    assert.strictEqual(ack.seq, beforeAck.seq + 1);
    assert.deepStrictEqual((await bob.next('message', (m) => m.seq === ack.seq)).envelope, during.envelope);
    const stored = await storedMessages(bob);
    assert.deepStrictEqual(stored, new Map([[before.messageId.toString('hex'), beforeAck.seq], [during.messageId.toString('hex'), ack.seq]]));
  });

  it('refuses a node whose room.json differs from the running nodes\' (keys changed on one copy), and takes it once they have stopped', async () => {
    const [a] = await cluster(1);
    const dataDir = tempDataDir();
    fs.copyFileSync(path.join(a.dataDir, ROOM_FILE), path.join(dataDir, ROOM_FILE));
    const rotation = spawnServer(['--rotate', '--data', dataDir], TEST_PASSWORD);
    assert.strictEqual((await rotation.exited).code, EXIT_CODES.ok);
    const args = ['--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--cluster', redis.url];
    const refused = spawnServer(args, TEST_PASSWORD);
    assert.strictEqual((await refused.exited).code, EXIT_CODES.usage);
    assert.match(refused.output.stderr, /room\.json differs from the one the running nodes of the cluster serve/);
    // The key change done offline, the way README "Running a cluster" says: every node stopped first.
    await stopNode(nodes.splice(0)[0]);
    const rotated = spawnServer(args, TEST_PASSWORD);
    nodes.push({ process: rotated, address: await startLine(rotated), dataDir });
    const { client } = await join(nodes[0], 'after the change');
    assert.strictEqual(client.keys!.epoch, 2);
  });

  it('a stopped node (SIGSTOP) does not hold up the others, and its members get everything in order once it runs again', async () => {
    const [a, b] = await cluster(2);
    const { client: alice } = await join(a, 'alice');
    const { client: carol } = await join(a, 'carol');
    const { client: bob } = await join(b, 'bob');
    b.process.child.kill('SIGSTOP');
    try {
      const sent = Array.from({ length: 20 }, (_, i) => alice.seal(`${i}`));
      const seqs = [];
      for (const message of sent) {
        seqs.push((await alice.sendAndAck(message)).seq);
        await carol.next('message', (m) => m.envelope.equals(message.envelope));
      }
      b.process.child.kill('SIGCONT');
      const arrived = [];
      while (arrived.length < seqs.length) arrived.push((await bob.next('message')).seq);
      assert.deepStrictEqual(arrived, seqs);
    } finally {
      b.process.child.kill('SIGCONT');
    }
  });

  it('deletes on a cluster: only the signer\'s tombstone is stored, on whichever node, and every node\'s history serves it in place of the message and its edits', async () => {
    const [a, b] = await cluster(2);
    const { client: alice } = await join(a, 'alice');
    const { client: bob } = await join(b, 'bob');
    const { client: aliceOnB } = await join(b, 'alice', alice.identity);
    const seal = (client: RawClient, text: string, extra: { edit?: { to: string }; delete?: { to: string } }) =>
      sealSignedMessage(client.keys!, client.identity, { username: client.username, plaintext: encodeBody({ text, ...extra }), timestamp: Date.now() });
    const answer = async (client: RawClient, sealed: { messageId: Buffer; envelope: Buffer }, fields: { edits?: number; deletes?: number[] }) => {
      client.send({ type: 'send', envelope: sealed.envelope, ...fields });
      const outcome = await client.outcome(sealed.messageId);
      return outcome.type === 'error' ? outcome.code : 'ack';
    };
    const original = alice.seal('typo');
    const { seq } = await alice.sendAndAck(original);
    const to = original.messageId.toString('hex');
    const edit = seal(alice, 'fixed', { edit: { to } });
    assert.strictEqual(await answer(alice, edit, { edits: seq }), 'ack');
    const unrelated = await bob.sendAndAck(bob.seal('unrelated'));
    // Another member's tombstone is refused on any node: the signer is read from the shared log.
    assert.strictEqual(await answer(bob, seal(bob, '', { delete: { to } }), { deletes: [seq] }), 'not-author');
    assert.strictEqual(await answer(bob, seal(bob, '', { delete: { to } }), { deletes: [unrelated.seq, seq] }), 'not-author', 'one seq of another key refuses the whole tombstone');
    // The signer's, through the other node than the message's: stored, and fanned out to everyone.
    const tombstone = seal(aliceOnB, '', { delete: { to } });
    assert.strictEqual(await answer(aliceOnB, tombstone, { deletes: [seq, seq + 1] }), 'ack');
    assert.strictEqual((await alice.next('message', (m) => m.envelope.equals(tombstone.envelope))).envelope.equals(tombstone.envelope), true);
    // A node started after the delete serves it too: the overlay lives in Redis, not in a node.
    nodes.push(await startNode(redis, a));
    const { client: carol } = await join(nodes[2], 'carol');
    const deleted = JSON.stringify({ text: '', delete: { to } });
    for (const reader of [alice, bob, carol]) {
      const page = await reader.history({ limit: 50 });
      const texts = page.messages.map((m) => {
        const body = decodeBody(reader.open(m.envelope).plaintext);
        return [m.seq, body.ok ? JSON.stringify(body.value) : 'unreadable'];
      });
      assert.deepStrictEqual(texts, [[seq, deleted], [seq + 1, deleted], [unrelated.seq, '{"text":"unrelated"}'], [unrelated.seq + 1, deleted]]);
      const older = await reader.history({ before: seq + 2, limit: 1 });
      assert.deepStrictEqual(older.messages.map((m) => m.envelope), [tombstone.envelope], 'a page that ends on an edit serves the tombstone');
      const newer = await reader.history({ after: seq - 1, limit: 1 });
      assert.deepStrictEqual(newer.messages.map((m) => m.envelope), [tombstone.envelope]);
    }
  });

  it('a node serves the default room only: a named room\'s path is refused with unknown-room (4009)', async () => {
    const [a] = await cluster(1);
    const client = await RawClient.connect(`${a.address}/team`);
    clients.push(client);
    assert.strictEqual((await client.next('error')).code, 'unknown-room');
    assert.strictEqual((await client.waitClosed()).code, CLOSE_CODES.unknownRoom);
    await join(a, 'alice');
  });
});
