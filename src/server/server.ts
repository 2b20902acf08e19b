// The chat server as a library: startChatServer() is what main.ts, the tests and the benchmarks
// run. It owns the listening socket, the store, the set of members and the heartbeat.
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import type { Duplex } from 'stream';
import WebSocket, { WebSocketServer } from 'ws';
import { DEFAULT_ITERATIONS } from '../crypto';
import { CLOSE_CODES } from '../protocol/wire';
import { DEFAULT_HOST, DEFAULT_PORT, Limits, resolveLimits } from './config';
import { Corking } from './corking';
import { MemberConnection, ConnectionContext, refuse } from './memberConnection';
import { StartError } from './errors';
import { takeDataDir } from './dataDir';
import { AddressBuckets, AuthBackoff, TokenBucket, UnauthenticatedSockets } from './limiters';
import { Logger, stderrLogger } from './logger';
import { Presence, PresenceMember } from './presence';
import { StoredDirectory } from './storedDirectory';
import { openRoom, saveRoom, startingAt } from './room';
import { EpochChange, RoomSecrets } from './roomSecrets';
import { StorageGuard } from './storageGuard';
import { MessageStore } from './store';
import { Tombstones } from './tombstones';
import type { RoomLog } from './roomLog';
import { ClusterLog } from './cluster/log';

export interface ChatServerOptions {
  readonly password: string;
  readonly dataDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Work factor of a room created by this start; an existing room keeps its own. */
  readonly newRoomIterations?: number;
  readonly limits?: Partial<Limits>;
  readonly logger?: Logger;
  /**
   * redis://host:port: serve the room as one node of a cluster, its messages and presence shared
   * through Redis (README "Running a cluster"). Without it the server keeps everything itself.
   */
  readonly cluster?: string;
}

/** Key changes need every node's room.json changed together: a cluster does them offline. */
const CLUSTER_KEY_CHANGE = 'a cluster node does not change keys while it runs: stop every node, change them in one data directory (--rotate or --change-password), copy its room.json to every node, and start them again';

export interface RunningServer {
  /** ws://host:port */
  readonly address: string;
  readonly port: number;
  /** Room id, hex. */
  readonly roomId: string;
  /** Settles once the server has stopped: with an error if it had to stop (the journal failed). */
  readonly stopped: Promise<Error | null>;
  /** Graceful stop: no new sockets, pending messages committed, sockets closed (1001). */
  close(): Promise<void>;
  /** Starts a new random key epoch; connected members get it at once, without reconnecting. */
  rotate(): Promise<EpochChange>;
  /**
   * Changes the room password: from now on only the new one admits, and every connection admitted
   * under the old one is closed with `password-changed` (4008). History stays readable.
   */
  changePassword(password: string): Promise<EpochChange>;
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      reject(error.code === 'EADDRINUSE'
        ? new StartError('port-in-use', `${where} is already in use`)
        : new StartError('listen-failed', `cannot listen on ${where}: ${error.message}`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function wsAddress(host: string, port: number): string {
  return `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startChatServer(options: ChatServerOptions): Promise<RunningServer> {
  const limits = resolveLimits(options.limits);
  const logger = options.logger ?? stderrLogger;
  const host = options.host ?? DEFAULT_HOST;
  const { dataDir } = options;
  const unlock = takeDataDir(dataDir);
  let store: RoomLog | undefined;
  const sockets = new Set<Duplex>();
  const corking = new Corking(sockets);
  let storage: StorageGuard | undefined;
  const httpServer = http.createServer((_request, response) => response.writeHead(426).end());
  let fatal: Error | null = null;
  let close: () => Promise<void> = async () => undefined;
  try {
    const opened = await openRoom(dataDir, options.password, options.newRoomIterations ?? DEFAULT_ITERATIONS);
    const { room, created } = opened;
    const directory = await StoredDirectory.open(dataDir, opened.directoryKey, room.roomId, logger);
    const roomId = room.roomId.toString('hex');
    let presence: Presence<PresenceMember>;
    const tombstones = options.cluster === undefined ? await Tombstones.open(dataDir) : Tombstones.none();
    if (options.cluster !== undefined) {
      const cluster = await ClusterLog.open({
        url: options.cluster, room: opened, logger, corkTurn: () => corking.forTurn(), deliver: (run) => corking.during(run),
      });
      store = cluster;
      presence = cluster.presence;
    } else {
      store = await MessageStore.open({
        dataDir,
        segmentMessages: limits.segmentMessages,
        segmentBytes: limits.segmentBytes,
        freshnessMs: limits.maxClockSkewMs,
        logger,
        // One group commit's acks and broadcasts leave in one write per socket, not one per frame.
        deliver: (run) => corking.during(run),
        onFatal: (error) => {
          fatal = error;
          void close();
        },
      });
      presence = new Presence(() => corking.forTurn());
    }
    const port = await listen(httpServer, host, options.port ?? DEFAULT_PORT);
    const loaded = startingAt(opened, store.latestSeq() + 1);
    if (opened.save) await saveRoom(dataDir, loaded);
    const secrets = new RoomSecrets(loaded, dataDir, limits.maxClockSkewMs);
    logger.log('info', created ? 'room-created' : opened.save ? 'room-migrated' : 'room-opened', { room: roomId, iterations: room.kdf.iterations, epoch: secrets.current.number });
    const wss = new WebSocketServer({ server: httpServer, maxPayload: limits.maxFrameBytes });
    let shuttingDown = false;
    const unauthenticated = new UnauthenticatedSockets({ maxTotal: limits.maxUnauthenticated, maxPerAddress: limits.maxUnauthenticatedPerAddress });
    /** Sockets still counted as unauthenticated: the deadline to upgrade by, and how to stop counting (once). */
    const admitted = new Map<Socket, { readonly deadline: NodeJS.Timeout; readonly release: () => void }>();
    /** Sockets dropped at the caps since the last heartbeat, by address (at most maxTrackedAddresses). */
    const dropped = new Map<string, number>();
    const reportDropped = () => {
      for (const [address, count] of dropped) logger.log('warn', 'unauthenticated-limit', { address, dropped: count });
      dropped.clear();
    };
    httpServer.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      // Counted from the TCP accept, not the upgrade: a socket that never sends its HTTP request
      // holds a file descriptor too. Beyond the caps it is dropped without a word: cheapest under a flood.
      if (!unauthenticated.admit(address)) {
        // Counted, not logged one by one: a flood must not become a flood of log lines.
        if (dropped.size < limits.maxTrackedAddresses || dropped.has(address)) dropped.set(address, (dropped.get(address) ?? 0) + 1);
        socket.destroy();
        return;
      }
      const deadline = setTimeout(() => {
        context.backoff.fail(address);
        socket.destroy();
      }, limits.handshakeTimeoutMs);
      const release = () => {
        clearTimeout(deadline);
        if (admitted.delete(socket)) unauthenticated.release(address);
      };
      admitted.set(socket, { deadline, release });
      socket.once('close', release);
    });
    storage = await StorageGuard.open(dataDir, { quotaBytes: limits.storageQuotaBytes, minFreeBytes: limits.minFreeBytes, checkMs: limits.storageCheckMs }, logger);
    const openStorage = storage;
    const openedStore = store;
    /** Every connection, authenticated or not: a password change closes them all. */
    const connections = new Set<MemberConnection>();
    let rotating = false;
    const announce = (change: EpochChange) => {
      logger.log('info', 'epoch-started', { epoch: change.epoch.number, reason: change.reason });
      if (change.reason === 'password-change') {
        for (const connection of connections) connection.closeWith('password-changed', CLOSE_CODES.passwordChanged);
      } else {
        // Also to connections between their confirmation and their `present`: they hold the epochs already.
        for (const connection of connections) connection.sendEpoch(change.epoch, true);
      }
      return change;
    };
    const rotateIfDue = () => {
      if (options.cluster !== undefined) return;
      const reason = secrets.due(openedStore.latestSeq() + 1, limits);
      if (rotating || reason === null || reason === 'password-change' || shuttingDown) return;
      rotating = true;
      secrets.rotate(reason, openedStore.latestSeq() + 1).then(announce, (error: Error) => logger.log('error', 'rotation-failed', { error: error.message }))
        .finally(() => (rotating = false));
    };
    const context: ConnectionContext = {
      secrets, limits, store, logger, storage, tombstones, onStored: rotateIfDue,
      addressRates: new AddressBuckets(limits.addressBytesPerSecond, limits.addressBytesBurst, limits.maxTrackedAddresses),
      roomRate: new TokenBucket(limits.roomBytesPerSecond, limits.roomBytesBurst),
      backoff: new AuthBackoff({
        maxFailures: limits.maxAuthFailures, windowMs: limits.authFailureWindowMs,
        backoffMs: limits.backoffMs, maxAddresses: limits.maxTrackedAddresses,
      }),
      presence,
      directory,
      isShuttingDown: () => shuttingDown,
    };
    wss.on('connection', (ws: WebSocket, request: http.IncomingMessage) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      // From here the connection's own handshake timer (4002) takes over from the upgrade deadline.
      const entry = admitted.get(request.socket as Socket);
      clearTimeout(entry?.deadline);
      const release = entry?.release ?? (() => undefined);
      if (shuttingDown) return refuse(ws, 'shutting-down', CLOSE_CODES.goingAway, limits.closeGraceMs);
      if (context.backoff.isBlocked(address)) return refuse(ws, 'backoff', CLOSE_CODES.backoff, limits.closeGraceMs);
      if (connections.size >= limits.maxConnections) {
        logger.log('warn', 'server-full', { address });
        return refuse(ws, 'server-full', CLOSE_CODES.serverFull, limits.closeGraceMs);
      }
      const connection = new MemberConnection(ws, address, context, release);
      connections.add(connection);
      sockets.add(request.socket);
      ws.on('close', () => {
        connections.delete(connection);
        sockets.delete(request.socket);
      });
    });
    const heartbeat = setInterval(() => {
      for (const connection of connections) connection.ping();
      context.backoff.prune();
      reportDropped();
      rotateIfDue();
    }, limits.heartbeatMs);
    heartbeat.unref();

    let resolveStopped: (error: Error | null) => void = () => undefined;
    const stopped = new Promise<Error | null>((resolve) => (resolveStopped = resolve));
    let closing: Promise<void> | null = null;
    const openStore = store;
    close = () => {
      closing ??= (async () => {
        shuttingDown = true;
        clearInterval(heartbeat);
        openStorage.close();
        httpServer.close();
        // Commits what was accepted (its acks go out); the unsealed tail stays in the journal.
        await openStore.close().catch((error: Error) => logger.log('error', 'store-close-failed', { error: error.message }));
        await closeSockets(wss, connections, limits.closeGraceMs);
        // A directory write in flight finishes under the lock: the next start reads it whole.
        await directory.close();
        wss.close();
        unlock();
        logger.log('info', 'stopped', { fatal: fatal?.message });
        resolveStopped(fatal);
      })();
      return closing;
    };
    logger.log('info', 'listening', { address: wsAddress(host, port) });
    return {
      address: wsAddress(host, port), port, roomId, stopped, close: () => close(),
      rotate: async () => {
        if (options.cluster !== undefined) throw new Error(CLUSTER_KEY_CHANGE);
        return announce(await secrets.rotate('rotate', openedStore.latestSeq() + 1));
      },
      changePassword: async (password) => {
        if (options.cluster !== undefined) throw new Error(CLUSTER_KEY_CHANGE);
        return announce(await secrets.changePassword(password, openedStore.latestSeq() + 1));
      },
    };
  } catch (error) {
    storage?.close();
    await store?.close().catch(() => undefined);
    httpServer.close();
    unlock();
    throw error;
  }
}

/** Closes every socket with 1001 and waits for them, destroying stragglers after the grace period. */
async function closeSockets(wss: WebSocketServer, connections: Set<MemberConnection>, graceMs: number): Promise<void> {
  for (const connection of connections) connection.goAway();
  const sockets = [...wss.clients].filter((ws) => ws.readyState !== WebSocket.CLOSED);
  const allClosed = Promise.all(sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))));
  const grace = setTimeout(() => sockets.forEach((ws) => ws.terminate()), graceMs);
  await allClosed;
  clearTimeout(grace);
}
