// A chat server in its own process with test limits, so a test can measure the server's memory
// alone. Forked by childServer.ts; talks over the IPC channel (see ChildMessage).
import type { Limits } from '../../../src/server/config';
import { startChatServer } from '../../../src/server/server';
import { TEST_ITERATIONS, TEST_PASSWORD } from '../../support/testServer';

export type ParentMessage =
  | { readonly type: 'start'; readonly dataDir: string; readonly limits: Partial<Limits> }
  | { readonly type: 'memory' }
  | { readonly type: 'stop' };

export type ChildMessage =
  | { readonly type: 'listening'; readonly address: string }
  | { readonly type: 'memory'; readonly rss: number; readonly heapUsed: number }
  | { readonly type: 'log'; readonly event: string }
  | { readonly type: 'stopped' };

const tell = (message: ChildMessage) => process.send!(message);

process.once('message', async (start: ParentMessage) => {
  if (start.type !== 'start') throw new Error('the first message must be start');
  const server = await startChatServer({
    password: TEST_PASSWORD, dataDir: start.dataDir, host: '127.0.0.1', port: 0, newRoomIterations: TEST_ITERATIONS, limits: start.limits,
    logger: { log: (_level, event) => tell({ type: 'log', event }) },
  });
  process.on('message', async (message: ParentMessage) => {
    if (message.type === 'memory') {
      const { rss, heapUsed } = process.memoryUsage();
      tell({ type: 'memory', rss, heapUsed });
    } else if (message.type === 'stop') {
      await server.close();
      process.send!({ type: 'stopped' } satisfies ChildMessage, () => process.exit(0));
    }
  });
  tell({ type: 'listening', address: server.address });
});
