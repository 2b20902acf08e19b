// The baseline for relay throughput: a WebSocket server that forwards every frame to every other
// socket and does nothing else (no handshake, no verification, no storage).
import { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '../../src/protocol/wire';

export interface PlainRelay {
  readonly address: string;
  close(): Promise<void>;
}

export async function startPlainRelay(): Promise<PlainRelay> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: MAX_FRAME_BYTES });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      for (const peer of wss.clients) if (peer !== ws && peer.readyState === WebSocket.OPEN) peer.send(data, { binary: isBinary });
    });
  });
  return {
    address: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => resolve());
    }),
  };
}
