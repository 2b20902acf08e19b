import * as assert from 'assert';
import { CLOSE_CODES } from '../../src/protocol/wire';
import { RawClient } from '../support/rawClient';
import { TEST_PASSWORD, UNLIMITED_RATES } from '../support/testServer';
import { ChildServer, mib } from './support/childServer';
import { Conversation } from './support/conversation';

const FLOOD = 1_000;
const FLOOD_BATCH = 100;
const HANDSHAKE_MS = 2_000;
const CHAT_MESSAGES = 50;
const SEND_BUFFER = 256 * 1024;
const MAX_SLOW_MESSAGES = 2_000;
/** Generous: a socket costs the server tens of KiB; a leak per frame or per socket would pass it by far. */
const RSS_GROWTH_LIMIT = 200 * 2 ** 20;

describe('reliability: resource exhaustion', function () {
  this.timeout(60_000);
  let server: ChildServer;
  const clients: RawClient[] = [];
  let conversation: Conversation | undefined;

  afterEach(async () => {
    conversation?.close();
    clients.splice(0).forEach((client) => client.ws.terminate());
    await server.stop();
  });

  it('closes 1,000 sockets that never authenticate at the handshake timeout while members chat, memory bounded', async () => {
    // One address may hold the whole flood here, and its timeouts do not back it off: this is about
    // memory and timeouts, not the caps and back-off (slots.test.ts).
    server = await ChildServer.start({
      handshakeTimeoutMs: HANDSHAKE_MS, maxConnections: FLOOD + 100, maxUnauthenticated: FLOOD + 50, maxUnauthenticatedPerAddress: FLOOD + 50, maxAuthFailures: 2 * FLOOD,
    });
    conversation = await Conversation.open(server.address);
    const before = await server.memory();
    for (let opened = 0; opened < FLOOD; opened += FLOOD_BATCH) {
      clients.push(...await Promise.all(Array.from({ length: FLOOD_BATCH }, () => RawClient.connect(server.address))));
    }
    const held = await server.memory();
    for (let i = 0; i < CHAT_MESSAGES; i++) conversation.say();
    await conversation.settled();
    const codes = await Promise.all(clients.map((client) => client.waitClosed(HANDSHAKE_MS + 10_000).then((info) => info.code)));
    const after = await server.memory();
    const timedOut = codes.filter((code) => code === CLOSE_CODES.handshakeTimeout).length;
    console.log(`      flood: ${FLOOD} unauthenticated sockets held, ${timedOut} closed 4002 by the ${HANDSHAKE_MS} ms handshake timeout; members meanwhile ${conversation.summary()}; server RSS ${mib(before.rss)} → ${mib(held.rss)} held → ${mib(after.rss)} after, heap ${mib(before.heapUsed)} → ${mib(held.heapUsed)} → ${mib(after.heapUsed)}`);
    assert.strictEqual(timedOut, FLOOD);
    assert.ok(held.rss - before.rss < RSS_GROWTH_LIMIT, `RSS grew by ${mib(held.rss - before.rss)}`);
  });

  it('disconnects a client that stops reading once its send buffer limit is reached, memory bounded', async () => {
    server = await ChildServer.start({ ...UNLIMITED_RATES, sendBufferBytes: SEND_BUFFER });
    const join = async (name: string) => {
      const { client } = await RawClient.join(server.address, TEST_PASSWORD, name);
      clients.push(client);
      return client;
    };
    const slow = await join('slow');
    const sender = await join('sender');
    slow.socket.pause();
    const before = await server.memory();
    const text = 'x'.repeat(30_000);
    let sent = 0;
    let bytes = 0;
    for (; sent < MAX_SLOW_MESSAGES && server.count('slow-consumer') === 0; sent++) {
      const sealed = sender.seal(text);
      bytes += sealed.envelope.length;
      await sender.sendAndAck(sealed);
    }
    await server.logged('slow-consumer');
    const atCut = await server.memory();
    slow.socket.resume();
    const { code } = await slow.waitClosed(10_000);
    await sender.next('leave');
    console.log(`      slow consumer: cut after ${sent} messages (${mib(bytes)}) sent past it with a ${SEND_BUFFER / 1024} KiB buffer limit, closed ${code}; server RSS ${mib(before.rss)} → ${mib(atCut.rss)} at the cut (the store itself holds the ${mib(bytes)}), heap ${mib(before.heapUsed)} → ${mib(atCut.heapUsed)}`);
    assert.strictEqual(code, CLOSE_CODES.slowConsumer);
    assert.ok(sent < MAX_SLOW_MESSAGES);
    assert.ok(atCut.rss - before.rss < RSS_GROWTH_LIMIT, `RSS grew by ${mib(atCut.rss - before.rss)}`);
  });
});
