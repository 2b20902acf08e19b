// A server on 127.0.0.1 that does not know the room password (a port squatter, a machine in the
// middle of ws://): it says `hello` as protocol 2 asks, and answers the client's first frame with
// whatever refusal a test gives it, its words chosen by it.
import { randomBytes } from 'crypto';
import { once } from 'events';
import { AddressInfo } from 'net';
import WebSocket, { WebSocketServer } from 'ws';
import { CPACE_NONCE_BYTES, createRoomParams } from '../../src/crypto';
import { PROTOCOL_VERSION, encodeServerFrame } from '../../src/protocol/wire';

export interface UnknowingServer {
  readonly address: string;
  close(): Promise<void>;
}

export async function unknowingServer(refuse: (socket: WebSocket) => void): Promise<UnknowingServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const room = createRoomParams();
  wss.on('connection', (socket) => {
    socket.send(encodeServerFrame({ type: 'hello', version: PROTOCOL_VERSION, room, nonce: randomBytes(CPACE_NONCE_BYTES) }));
    socket.once('message', () => refuse(socket));
  });
  return {
    address: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
