// One node of a test cluster: dist/server.js with --cluster, as an operator runs it, in its own data
// directory holding a copy of the room's room.json (the first node creates the room).
import * as fs from 'fs';
import * as path from 'path';
import { ROOM_FILE } from '../../src/server/room';
import { within } from './rawClient';
import type { RedisServer } from './redisServer';
import { ServerProcess, spawnServer, startLine } from './serverProcess';
import { TEST_PASSWORD, tempDataDir } from './testServer';

export interface ClusterNode {
  readonly process: ServerProcess;
  readonly address: string;
  readonly dataDir: string;
}

/** Starts a node; `roomOf` is another node whose room.json it copies (none: it creates the room). */
export async function startNode(redis: RedisServer, roomOf?: ClusterNode, flags: readonly string[] = []): Promise<ClusterNode> {
  const dataDir = tempDataDir();
  if (roomOf) fs.copyFileSync(path.join(roomOf.dataDir, ROOM_FILE), path.join(dataDir, ROOM_FILE));
  const node = spawnServer(['--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--cluster', redis.url, ...flags], TEST_PASSWORD);
  return { process: node, address: await startLine(node), dataDir };
}

/** Resolves once the node has logged `event` (after `from` characters of its stderr). */
export function logged(node: ClusterNode, event: string, from = 0, ms = 15_000): Promise<void> {
  const output = node.process.output;
  const seen = new Promise<void>((resolve) => {
    const check = () => {
      if (output.stderr.indexOf(event, from) < 0) return;
      node.process.child.stderr!.off('data', check);
      resolve();
    };
    node.process.child.stderr!.on('data', check);
    check();
  });
  return within(seen, ms, `the node to log ${event}`);
}

/** Stops a node gracefully (or finds it dead already) and removes its data directory. */
export async function stopNode(node: ClusterNode): Promise<void> {
  if (node.process.child.exitCode === null && node.process.child.signalCode === null) node.process.child.kill('SIGTERM');
  await within(node.process.exited, 15_000, 'the node to stop');
  fs.rmSync(node.dataDir, { recursive: true, force: true });
}
