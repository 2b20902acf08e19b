// The load process of the relay benchmarks: forked by the benchmark, it runs the sender and the
// receivers, so that their work runs outside the server's process. Envelopes are sealed before
// the clock starts and receivers count frames without parsing them: what is measured is the server.
import { performance } from 'perf_hooks';
import type WebSocket from 'ws';
import { EpochKeys, IdentityKey, createRoomParams, epochKeys, newEpochSecret, sealSignedMessage } from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { encodeClientFrame, parseServerFrame } from '../../src/protocol/wire';
import { RawClient } from '../../test/support/rawClient';
import type {
  FanoutRequest, FanoutResult, LatencyRequest, LatencyResult, LoadRequest, LoadResult, StormRequest, StormResult, Target, ThroughputRequest,
  ThroughputResult,
} from './protocol';

/** How frames start on the secure server's wire (frames are encoded with `type` first). */
const MESSAGE_FRAME_PREFIX = Buffer.from('{"type":"message"');
const WELCOME_FRAME_PREFIX = Buffer.from('{"type":"welcome"');
const JOIN_FRAME_PREFIX = Buffer.from('{"type":"join"');
/** In a `send` frame and in the `message` frame relaying it; the envelope's first 69 bytes end with its random id (version 3). */
const ENVELOPE_FIELD = '"envelope":"';
const ENVELOPE_KEY_CHARS = 92;

/** Storm handshakes in flight at once. */
const CONNECTING = 100;

const startsWith = (data: Buffer, prefix: Buffer) => data.subarray(0, prefix.length).equals(prefix);

/** Which envelope a frame carries, read without parsing it; null for frames without one. */
function envelopeKey(frame: Buffer | string): string | null {
  const text = typeof frame === 'string' ? frame : frame.toString('latin1');
  const at = text.indexOf(ENVELOPE_FIELD);
  return at < 0 ? null : text.slice(at + ENVELOPE_FIELD.length, at + ENVELOPE_FIELD.length + ENVELOPE_KEY_CHARS);
}

interface Peer {
  readonly ws: WebSocket;
  /** The current epoch's keys when the handshake ran; the plain relay has none. */
  readonly keys: EpochKeys | null;
  /** What its messages are signed with and sent under: the secure server takes no others. */
  readonly identity: IdentityKey;
  readonly name: string;
}

/**
 * One socket to the target (the `index`-th of a cluster's nodes, round robin), authenticated on the
 * secure server; from then on its frames are the caller's.
 */
async function open(target: Target, name: string, index = 0): Promise<Peer> {
  const client = await RawClient.connect(target.nodes?.[index % target.nodes.length] ?? target.url);
  if (target.password !== undefined) await client.authenticate(target.password, name);
  client.ws.removeAllListeners('message');
  return { ws: client.ws, keys: client.keys, identity: client.identity, name };
}

/** `send` frames of `count` distinct envelopes from `peer`, signed, each carrying a text of `textBytes` bytes. */
function sealedFrames(peer: Peer, count: number, textBytes: number): { ids: string[]; frames: string[] } {
  const sealing = peer.keys ?? epochKeys(newEpochSecret(), createRoomParams(1).roomId, 1);
  const plaintext = encodeBody({ text: 'x'.repeat(textBytes) });
  const ids: string[] = [];
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const { messageId, envelope } = sealSignedMessage(sealing, peer.identity, { username: peer.name, plaintext, timestamp: Date.now() });
    ids.push(messageId.toString('hex'));
    frames.push(encodeClientFrame({ type: 'send', envelope }));
  }
  return { ids, frames };
}

async function throughput(request: ThroughputRequest): Promise<ThroughputResult> {
  const prefix = request.namePrefix ?? '';
  const sender = await open(request.target, `${prefix}sender`);
  const receivers = await Promise.all(Array.from({ length: request.receivers }, (_, i) => open(request.target, `${prefix}r${i}`, i)));
  const { frames } = sealedFrames(sender, request.messages, request.textBytes);
  const counts = (data: Buffer) => request.target.password === undefined || data.subarray(0, MESSAGE_FRAME_PREFIX.length).equals(MESSAGE_FRAME_PREFIX);
  // reached[k]: receivers that have message k. Each receiver gets messages in order, so once every
  // receiver has message k, every earlier message is complete too.
  const reached = new Uint16Array(request.messages);
  let sent = 0;
  let completed = 0;
  let deliveries = 0;
  return new Promise((resolve) => {
    const started = performance.now();
    const finish = () => {
      clearTimeout(deadline);
      resolve({ kind: 'throughput', completed, deliveries, ms: performance.now() - started, frameBytes: frames[0].length });
    };
    const deadline = setTimeout(finish, request.maxMs);
    const pump = () => {
      while (sent < request.messages && sent - completed < request.window) sender.ws.send(frames[sent++]);
    };
    for (const receiver of receivers) {
      let received = 0;
      receiver.ws.on('message', (data: Buffer) => {
        if (!counts(data)) return;
        deliveries += 1;
        if (++reached[received++] < receivers.length) return;
        completed = received;
        if (completed === request.messages) finish();
        else pump();
      });
    }
    pump();
  });
}

/**
 * Sends message i of `total` at i / perSecond seconds after the start, whatever the timer's jitter,
 * until all are sent; `done` settles with the count sent once `finish` is called or `maxMs` passes.
 */
function paced(total: number, perSecond: number, maxMs: number, send: (i: number) => void): { done: Promise<number>; finish: () => void } {
  let sent = 0;
  let finish = () => undefined as void;
  const done = new Promise<number>((resolve) => {
    const started = performance.now();
    const ticker = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
      for (; sent < due; sent++) send(sent);
    }, 1);
    const deadline = setTimeout(() => finish(), maxMs);
    finish = () => {
      clearInterval(ticker);
      clearTimeout(deadline);
      resolve(sent);
    };
  });
  return { done, finish };
}

async function latency(request: LatencyRequest): Promise<LatencyResult> {
  const sender = await open(request.target, 'sender');
  const receiver = await open(request.target, 'receiver');
  receiver.ws.on('message', () => undefined);
  const total = Math.round((request.perSecond * request.durationMs) / 1000);
  const { ids, frames } = sealedFrames(sender, total, request.textBytes);
  const sentAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  const pacer = paced(total, request.perSecond, request.durationMs + 10_000, (i) => {
    sentAt.set(ids[i], performance.now());
    sender.ws.send(frames[i]);
  });
  sender.ws.on('message', (data: Buffer) => {
    const arrived = performance.now();
    const parsed = parseServerFrame(data.toString('utf8'));
    if (!parsed.ok || parsed.value.type !== 'ack') return;
    const at = sentAt.get(parsed.value.id.toString('hex'));
    if (at !== undefined) latenciesMs.push(arrived - at);
    if (latenciesMs.length === total) pacer.finish();
  });
  return { kind: 'latency', sent: await pacer.done, latenciesMs };
}

async function storm(request: StormRequest): Promise<StormResult> {
  const started = performance.now();
  let complete = 0;
  let finished = () => undefined as void;
  const everyone = new Promise<void>((resolve) => (finished = resolve));
  const member = async (i: number) => {
    const client = await RawClient.connect(request.target.url);
    await client.present(request.target.password!, `m${i}`);
    // From the present frame on, frames are counted, not parsed: the welcome's list, then joins.
    client.ws.removeAllListeners('message');
    let known = 0;
    client.ws.on('message', (data: Buffer) => {
      if (startsWith(data, WELCOME_FRAME_PREFIX)) known += (JSON.parse(data.toString('utf8')) as { online: unknown[] }).online.length;
      else if (startsWith(data, JOIN_FRAME_PREFIX)) known += 1;
      else return;
      if (known === request.members && ++complete === request.members) finished();
    });
  };
  // At most CONNECTING handshakes in flight, as clients' jittered back-off spreads them: a thousand
  // SYNs at once would overflow the listen backlog and measure TCP's retransmission timer instead.
  let next = 0;
  const connector = async () => {
    while (next < request.members) await member(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING, request.members) }, connector));
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([everyone, new Promise<void>((resolve) => (deadline = setTimeout(resolve, request.maxMs)))]);
  clearTimeout(deadline);
  return { kind: 'storm', complete, ms: performance.now() - started };
}

async function fanout(request: FanoutRequest): Promise<FanoutResult> {
  const clients: Peer[] = [];
  // One after the other: the secure server admits a few unauthenticated sockets per address at a time.
  for (let i = 0; i < request.clients; i++) clients.push(await open(request.target, `c${i}`, i));
  const perClient = Math.round((request.perSecond * request.durationMs) / 1000);
  const sealed = await Promise.all(clients.map((client) => sealedFrames(client, perClient, request.textBytes)));
  const total = perClient * request.clients;
  const expected = total * (request.clients - 1);
  const sentAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  // Message j is client j % clients's (j / clients)-th: every client at perSecond, their phases spread evenly.
  const pacer = paced(total, request.perSecond * request.clients, request.durationMs + 10_000, (j) => {
    const frame = sealed[j % request.clients].frames[Math.floor(j / request.clients)];
    sentAt.set(envelopeKey(frame)!, performance.now());
    clients[j % request.clients].ws.send(frame);
  });
  for (const client of clients) {
    client.ws.on('message', (data: Buffer) => {
      const arrived = performance.now();
      const at = sentAt.get(envelopeKey(data) ?? '');
      if (at === undefined) return;
      latenciesMs.push(arrived - at);
      if (latenciesMs.length === expected) pacer.finish();
    });
  }
  return { kind: 'fanout', sent: await pacer.done, latenciesMs, expected };
}

function run(request: LoadRequest): Promise<LoadResult> {
  switch (request.kind) {
    case 'throughput': return throughput(request);
    case 'latency': return latency(request);
    case 'storm': return storm(request);
    case 'fanout': return fanout(request);
  }
}

process.once('message', (request: LoadRequest) => {
  run(request)
    .catch((error: Error): LoadResult => ({ kind: 'error', message: error.stack ?? error.message }))
    .then((result) => process.send!(result, () => process.exit(0)));
});
