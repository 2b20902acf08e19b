// The chat server as a library: startChatServer() is what main.ts, the tests and the benchmarks
// run. It owns the listening socket, the caps on sockets, the per-address back-off and the
// heartbeat; each room it serves (servedRoom.ts) owns its store and members, found by the URL path
// (roomRegistry.ts).
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import type { Duplex } from 'stream';
import WebSocket, { WebSocketServer } from 'ws';
import { DEFAULT_ITERATIONS } from '../crypto';
import { CLOSE_CODES } from '../protocol/wire';
import { DEFAULT_HOST, DEFAULT_PORT, Limits, resolveLimits } from './config';
import { MemberConnection, refuse } from './memberConnection';
import { StartError } from './errors';
import { takeDataDir } from './dataDir';
import { AddressBuckets, AuthBackoff, UnauthenticatedSockets } from './limiters';
import { Logger, stderrLogger } from './logger';
import { createNamedRoom, listNamedRooms } from './namedRooms';
import { openRoom } from './room';
import { Resolved, RoomRegistry } from './roomRegistry';
import type { EpochChange } from './roomSecrets';
import { ServedRoom, SharedLimits } from './servedRoom';
import { unlockServer } from './serverSecret';

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
  /**
   * The operator's one secret that unlocks the named rooms (serverSecret.ts); the first start given
   * one keeps it. Without it the server serves its default room only.
   */
  readonly serverSecret?: string;
}

/** A cluster shares one room's log through Redis: its nodes serve the default room only. */
const CLUSTER_ROOMS = 'a cluster node serves only the default room (/): named rooms need a standalone server';
const NO_SERVER_SECRET = 'the server was started without its server secret: it cannot create or open named rooms';

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
  /** Creates a named room, served at /<name> from now on (needs the server secret; not in a cluster). */
  createRoom(name: string, password: string): Promise<void>;
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
  const iterations = options.newRoomIterations ?? DEFAULT_ITERATIONS;
  const unlock = takeDataDir(dataDir);
  let defaultRoom: ServedRoom | undefined;
  const httpServer = http.createServer((_request, response) => response.writeHead(426).end());
  let fatal: Error | null = null;
  let close: () => Promise<void> = async () => undefined;
  let shuttingDown = false;
  const onFatal = (error: Error) => {
    fatal = error;
    void close();
  };
  try {
    const opened = await openRoom(dataDir, options.password, iterations);
    const shared: SharedLimits = {
      limits, logger,
      addressRates: new AddressBuckets(limits.addressBytesPerSecond, limits.addressBytesBurst, limits.maxTrackedAddresses),
      backoff: new AuthBackoff({
        maxFailures: limits.maxAuthFailures, windowMs: limits.authFailureWindowMs,
        backoffMs: limits.backoffMs, maxAddresses: limits.maxTrackedAddresses,
      }),
      isShuttingDown: () => shuttingDown,
    };
    let port = 0;
    defaultRoom = await ServedRoom.open({
      dataDir, opened, name: null, shared, cluster: options.cluster, onFatal,
      beforeSave: async () => void (port = await listen(httpServer, host, options.port ?? DEFAULT_PORT)),
    });
    const openedDefault = defaultRoom;
    // Once listening, like the room file: a start that fails (port in use) leaves no server.json
    // whose secret the next start would have to match. A cluster node has no named rooms to unlock.
    const serverKeys = options.serverSecret !== undefined && options.cluster === undefined ? await unlockServer(dataDir, options.serverSecret, iterations) : null;
    const rooms = new RoomRegistry({ dataDir, defaultRoom, serverKeys, cluster: options.cluster !== undefined, shared, onFatal });
    const named = listNamedRooms(dataDir).length;
    if (named > 0 && serverKeys === null) logger.log('warn', 'rooms-locked', { rooms: named });
    const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
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
        shared.backoff.fail(address);
        socket.destroy();
      }, limits.handshakeTimeoutMs);
      const release = () => {
        clearTimeout(deadline);
        if (admitted.delete(socket)) unauthenticated.release(address);
      };
      admitted.set(socket, { deadline, release });
      socket.once('close', release);
    });
    /** Every connection of every room, authenticated or not: the cap on sockets counts them all. */
    const connections = new Set<MemberConnection>();
    // The path picks the room; a named room may have to be opened first, while the upgrade waits.
    httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      void rooms.resolve(request.url).then((resolved) => {
        wss.handleUpgrade(request, socket, head, (ws) => onSocket(ws, request, resolved));
      });
    });
    const onSocket = (ws: WebSocket, request: http.IncomingMessage, resolved: Resolved) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      // From here the connection's own handshake timer (4002) takes over from the upgrade deadline.
      const entry = admitted.get(request.socket as Socket);
      clearTimeout(entry?.deadline);
      const release = entry?.release ?? (() => undefined);
      if (shuttingDown) return refuse(ws, 'shutting-down', CLOSE_CODES.goingAway, limits.closeGraceMs);
      if (shared.backoff.isBlocked(address)) return refuse(ws, 'backoff', CLOSE_CODES.backoff, limits.closeGraceMs);
      if (!resolved.ok) {
        logger.log('info', 'unknown-room', { address, why: resolved.why });
        // A room that would not open (its lock held by a `rooms create` in progress, a damaged file) may open on a later try.
        if (resolved.why === 'open-failed') return refuse(ws, 'unavailable', CLOSE_CODES.goingAway, limits.closeGraceMs);
        return refuse(ws, 'unknown-room', CLOSE_CODES.unknownRoom, limits.closeGraceMs);
      }
      if (connections.size >= limits.maxConnections) {
        logger.log('warn', 'server-full', { address });
        return refuse(ws, 'server-full', CLOSE_CODES.serverFull, limits.closeGraceMs);
      }
      const room = resolved.room;
      const connection = room.admit(ws, request.socket, address, release);
      connections.add(connection);
      ws.on('close', () => {
        connections.delete(connection);
        rooms.socketClosed(room);
      });
    };
    const heartbeat = setInterval(() => {
      for (const room of rooms.openNow()) room.tick();
      shared.backoff.prune();
      reportDropped();
    }, limits.heartbeatMs);
    heartbeat.unref();

    let resolveStopped: (error: Error | null) => void = () => undefined;
    const stopped = new Promise<Error | null>((resolve) => (resolveStopped = resolve));
    let closing: Promise<void> | null = null;
    close = () => {
      closing ??= (async () => {
        shuttingDown = true;
        clearInterval(heartbeat);
        httpServer.close();
        await rooms.waitForClosing();
        const open = await rooms.rooms();
        // Commits what was accepted (its acks go out); the unsealed tail stays in the journal.
        await Promise.all(open.map((room) => room.closeStore()));
        await closeSockets(wss, connections, limits.closeGraceMs);
        await Promise.all(open.map((room) => room.finish()));
        wss.close();
        unlock();
        logger.log('info', 'stopped', { fatal: fatal?.message });
        resolveStopped(fatal);
      })();
      return closing;
    };
    logger.log('info', 'listening', { address: wsAddress(host, port) });
    return {
      address: wsAddress(host, port), port, roomId: openedDefault.roomId, stopped, close: () => close(),
      rotate: () => openedDefault.rotate(),
      changePassword: (password) => openedDefault.changePassword(password),
      createRoom: async (name, password) => {
        if (options.cluster !== undefined) throw new Error(CLUSTER_ROOMS);
        if (serverKeys === null) throw new Error(NO_SERVER_SECRET);
        await createNamedRoom({ dataDir, name, password, serverKeys, iterations });
        logger.log('info', 'room-added', { name });
      },
    };
  } catch (error) {
    await defaultRoom?.closeStore();
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
