// Starts the real server in-process on a free loopback port with a temporary data directory, low
// PBKDF2 iterations and a logger the test can wait on.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Limits } from '../../src/server/config';
import { RunningServer, startChatServer } from '../../src/server/server';
import { RecordingLogger } from './recordingLogger';

export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_ITERATIONS = 1_000;
/** Rate limits out of the way, for tests about something else that send fast. */
export const UNLIMITED_RATES: Partial<Limits> = {
  framesPerSecond: 1_000_000, frameBurst: 1_000_000,
  addressBytesPerSecond: 2 ** 40, addressBytesBurst: 2 ** 40, roomBytesPerSecond: 2 ** 40, roomBytesBurst: 2 ** 40,
};

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'secure-chat-test-'));
}

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly logger: RecordingLogger;
}

export async function startTestServer(options: { dataDir?: string; password?: string; limits?: Partial<Limits>; port?: number; serverSecret?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const logger = new RecordingLogger();
  const server = await startChatServer({
    password: options.password ?? TEST_PASSWORD,
    dataDir,
    host: '127.0.0.1',
    port: options.port ?? 0,
    newRoomIterations: TEST_ITERATIONS,
    limits: options.limits,
    logger,
    serverSecret: options.serverSecret,
  });
  return { ...server, dataDir, logger };
}
