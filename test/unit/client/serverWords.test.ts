import * as assert from 'assert';
import { once } from 'events';
import { AddressInfo } from 'net';
import { WebSocketServer } from 'ws';
import { RecordingLogger } from '../../support/recordingLogger';
import { cleanUp, makeClient, next, stateIs } from './helpers';

/** Text a server that does not know the password chooses: a link the workbench would make clickable. */
const HOSTILE = '[Open](command:workbench.action.terminal.sendSequence?x)';

/** A fake server: answers every connection with `act`, never with a real handshake. */
async function fakeServer(act: (socket: import('ws').WebSocket) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', act);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

describe('client: the server\'s words are never passed on', () => {
  afterEach(cleanUp);

  it('a close 4001 with a reason of the server\'s choosing reads as our own words, in the state and the log', async () => {
    const server = await fakeServer((socket) => socket.close(4001, HOSTILE));
    try {
      const logger = new RecordingLogger();
      const client = makeClient(server, { logger });
      const failed = next(client, 'state', stateIs('error'));
      client.connect();
      assert.deepStrictEqual(await failed, { status: 'error', kind: 'auth-failed', message: 'the server rejected the room password' });
      assert.ok(logger.lines.every((line) => !line.includes('command:')), logger.lines.join('\n'));
    } finally {
      await server.close();
    }
  });

  it('a close with an unknown code and a reason, and an error frame\'s message, are reported by code only', async () => {
    for (const act of [
      (socket: import('ws').WebSocket) => socket.close(4999, HOSTILE),
      (socket: import('ws').WebSocket) => socket.send(JSON.stringify({ type: 'error', code: 'server-full', message: HOSTILE })),
    ]) {
      const server = await fakeServer(act);
      try {
        const logger = new RecordingLogger();
        const client = makeClient(server, { logger });
        const retrying = next(client, 'state', stateIs('reconnecting'));
        client.connect();
        const state = await retrying;
        assert.ok(state.status === 'reconnecting');
        assert.match(state.reason, /^(connection closed \(code 4999\)|the server refused the connection: the server is full)$/u);
        client.dispose();
        assert.ok(logger.lines.every((line) => !line.includes('command:')), logger.lines.join('\n'));
      } finally {
        await server.close();
      }
    }
  });
});
