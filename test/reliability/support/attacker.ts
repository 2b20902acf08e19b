// One address opening as many unauthenticated sockets as a server lets it, and opening another
// whenever one goes, in its own process so its work does not slow the member under test. Forked by
// slots.test.ts: argv url, sockets, retry ms, local address; sends `wave` once every first attempt
// has settled, and its figures when told to `stop`.
import WebSocket from 'ws';

export type AttackerReport =
  | { readonly type: 'wave' }
  | { readonly type: 'figures'; readonly opened: number; readonly refused: number };

const [url, sockets, retryMs, localAddress] = process.argv.slice(2);
const live = new Set<WebSocket>();
let opened = 0;
let refused = 0;
let unsettled = Number(sockets);
let stopped = false;

function open(firstWave: boolean): void {
  if (stopped) return;
  const ws = new WebSocket(url, { localAddress });
  live.add(ws);
  let settled = !firstWave;
  let upgraded = false;
  const settle = () => {
    if (!settled && --unsettled === 0) process.send!({ type: 'wave' } satisfies AttackerReport);
    settled = true;
  };
  ws.on('open', () => {
    opened += 1;
    upgraded = true;
    settle();
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    live.delete(ws);
    if (!upgraded) refused += 1;
    settle();
    setTimeout(() => open(false), Number(retryMs));
  });
}

for (let i = 0; i < Number(sockets); i++) open(true);
process.on('message', () => {
  stopped = true;
  for (const ws of live) ws.terminate();
  process.send!({ type: 'figures', opened, refused } satisfies AttackerReport, () => process.exit(0));
});
