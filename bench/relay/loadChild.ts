// The load process of the relay benchmarks: forked by the benchmark, it runs the sender and the
// receivers, so that their work runs outside the server's process. Envelopes are sealed before
// the clock starts and receivers count frames without parsing them: what is measured is the server.
import { performance } from 'perf_hooks';
import type WebSocket from 'ws';
import { EpochKeys, createRoomParams, epochKeys, newEpochSecret, sealEpochMessage } from '../../src/crypto';
import { encodeBody } from '../../src/protocol/body';
import { encodeClientFrame, parseServerFrame } from '../../src/protocol/wire';
import { RawClient } from '../../test/support/rawClient';
import type { LatencyRequest, LatencyResult, LoadRequest, LoadResult, Target, ThroughputRequest, ThroughputResult } from './protocol';

/** How a relayed message starts on the secure server's wire (frames are encoded with `type` first). */
const MESSAGE_FRAME_PREFIX = Buffer.from('{"type":"message"');

interface Peer {
  readonly ws: WebSocket;
  /** The current epoch's keys when the handshake ran; the plain relay has none. */
  readonly keys: EpochKeys | null;
}

/** One socket to the target, authenticated on the secure server; from then on its frames are the caller's. */
async function open(target: Target, name: string): Promise<Peer> {
  const client = await RawClient.connect(target.url);
  if (target.password !== undefined) await client.authenticate(target.password, name);
  client.ws.removeAllListeners('message');
  return { ws: client.ws, keys: client.keys };
}

/** `send` frames of `count` distinct envelopes, each carrying a text of `textBytes` bytes. */
function sealedFrames(keys: EpochKeys | null, count: number, textBytes: number): { ids: string[]; frames: string[] } {
  const sealing = keys ?? epochKeys(newEpochSecret(), createRoomParams(1).roomId, 1);
  const plaintext = encodeBody({ text: 'x'.repeat(textBytes) });
  const ids: string[] = [];
  const frames: string[] = [];
  for (let i = 0; i < count; i++) {
    const { messageId, envelope } = sealEpochMessage(sealing, { username: 'bench', plaintext, timestamp: Date.now() });
    ids.push(messageId.toString('hex'));
    frames.push(encodeClientFrame({ type: 'send', envelope }));
  }
  return { ids, frames };
}

async function throughput(request: ThroughputRequest): Promise<ThroughputResult> {
  const sender = await open(request.target, 'sender');
  const receivers = await Promise.all(Array.from({ length: request.receivers }, (_, i) => open(request.target, `r${i}`)));
  const { frames } = sealedFrames(sender.keys, request.messages, request.textBytes);
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

async function latency(request: LatencyRequest): Promise<LatencyResult> {
  const sender = await open(request.target, 'sender');
  const receiver = await open(request.target, 'receiver');
  receiver.ws.on('message', () => undefined);
  const total = Math.round((request.perSecond * request.durationMs) / 1000);
  const { ids, frames } = sealedFrames(sender.keys, total, request.textBytes);
  const sentAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let sent = 0;
  return new Promise((resolve) => {
    const finish = () => {
      clearInterval(ticker);
      clearTimeout(deadline);
      resolve({ kind: 'latency', sent, latenciesMs });
    };
    sender.ws.on('message', (data: Buffer) => {
      const arrived = performance.now();
      const parsed = parseServerFrame(data.toString('utf8'));
      if (!parsed.ok || parsed.value.type !== 'ack') return;
      const at = sentAt.get(parsed.value.id.toString('hex'));
      if (at !== undefined) latenciesMs.push(arrived - at);
      if (latenciesMs.length === total) finish();
    });
    const started = performance.now();
    // Sends on schedule: message i is due at started + i / perSecond, whatever the timer's jitter.
    const ticker = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * request.perSecond) / 1000) + 1);
      for (; sent < due; sent++) {
        sentAt.set(ids[sent], performance.now());
        sender.ws.send(frames[sent]);
      }
    }, 1);
    const deadline = setTimeout(finish, request.durationMs + 10_000);
  });
}

function run(request: LoadRequest): Promise<LoadResult> {
  return request.kind === 'throughput' ? throughput(request) : latency(request);
}

process.once('message', (request: LoadRequest) => {
  run(request)
    .catch((error: Error): LoadResult => ({ kind: 'error', message: error.stack ?? error.message }))
    .then((result) => process.send!(result, () => process.exit(0)));
});
