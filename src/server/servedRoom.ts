// One room as a running server serves it: its store, member directory, presence, key epochs, disk
// guard and connections, all in the room's own directory. The default room (the data directory
// itself) and every named room (rooms/<name>/) are each one of these; what they share (the listening
// socket, the caps on sockets, the per-address back-off and rates) stays in server.ts.
import type { Duplex } from 'stream';
import type WebSocket from 'ws';
import { CLOSE_CODES } from '../protocol/wire';
import { ClusterLog } from './cluster/log';
import type { Limits } from './config';
import { Corking } from './corking';
import { AddressBuckets, AuthBackoff, TokenBucket } from './limiters';
import type { Logger } from './logger';
import { ConnectionContext, MemberConnection } from './memberConnection';
import { Presence, PresenceMember } from './presence';
import { OpenedRoom, saveRoom, startingAt } from './room';
import type { RoomLog } from './roomLog';
import { EpochChange, RoomSecrets } from './roomSecrets';
import { StorageGuard } from './storageGuard';
import { MessageStore } from './store';
import { TombstoneOverlay, Tombstones } from './tombstones';
import { StoredDirectory } from './storedDirectory';

/** Key changes need every node's room.json changed together: a cluster does them offline. */
const CLUSTER_KEY_CHANGE = 'a cluster node does not change keys while it runs: stop every node, change them in one data directory (--rotate or --change-password), copy its room.json to every node, and start them again';

/** What every room of one server shares. */
export interface SharedLimits {
  readonly limits: Limits;
  readonly logger: Logger;
  readonly backoff: AuthBackoff;
  readonly addressRates: AddressBuckets;
  isShuttingDown(): boolean;
}

export interface ServedRoomOptions {
  readonly dataDir: string;
  readonly opened: OpenedRoom;
  /** The room's name, or null for the default room: a log field only, never beside message content. */
  readonly name: string | null;
  readonly shared: SharedLimits;
  /** redis:// of the cluster the default room is a node of. */
  readonly cluster?: string;
  /** After the store opened, before a new room's file is written: the default room listens here. */
  readonly beforeSave?: () => Promise<void>;
  /** Releases the room directory's lock once the room is closed; the default room's is the server's own. */
  readonly unlock?: () => void;
  /** The store failed for good (the journal could not be written). */
  onFatal(error: Error): void;
}

export class ServedRoom {
  /** Every connection of the room, authenticated or not: a password change closes them all. */
  readonly connections = new Map<MemberConnection, WebSocket>();
  private readonly sockets: Set<Duplex>;
  private rotating = false;
  readonly name: string | null;

  private constructor(
    readonly roomId: string,
    private readonly options: ServedRoomOptions,
    private readonly context: ConnectionContext,
    private readonly secrets: RoomSecrets,
    private readonly store: RoomLog,
    sockets: Set<Duplex>,
  ) {
    this.sockets = sockets;
    this.name = options.name;
  }

  static async open(options: ServedRoomOptions): Promise<ServedRoom> {
    const { dataDir, opened, shared } = options;
    const { limits, logger } = shared;
    const sockets = new Set<Duplex>();
    const corking = new Corking(sockets);
    let store: RoomLog | undefined;
    let storage: StorageGuard | undefined;
    try {
      const directory = await StoredDirectory.open(dataDir, opened.directoryKey, opened.room.roomId, logger);
      let presence: Presence<PresenceMember>;
      let tombstones: TombstoneOverlay;
      if (options.cluster !== undefined) {
        const cluster = await ClusterLog.open({
          url: options.cluster, room: opened, logger, corkTurn: () => corking.forTurn(), deliver: (run) => corking.during(run),
        });
        store = cluster;
        presence = cluster.presence;
        tombstones = cluster.tombstones;
      } else {
        tombstones = await Tombstones.open(dataDir);
        store = await MessageStore.open({
          dataDir,
          segmentMessages: limits.segmentMessages,
          segmentBytes: limits.segmentBytes,
          freshnessMs: limits.maxClockSkewMs,
          logger,
          // One group commit's acks and broadcasts leave in one write per socket, not one per frame.
          deliver: (run) => corking.during(run),
          onFatal: (error) => options.onFatal(error),
        });
        presence = new Presence(() => corking.forTurn());
      }
      await options.beforeSave?.();
      const loaded = startingAt(opened, store.latestSeq() + 1);
      if (opened.save) await saveRoom(dataDir, loaded);
      const secrets = new RoomSecrets(loaded, dataDir, limits.maxClockSkewMs);
      const roomId = opened.room.roomId.toString('hex');
      const event = opened.created ? 'room-created' : opened.save ? 'room-migrated' : 'room-opened';
      logger.log('info', event, { room: roomId, name: options.name ?? undefined, iterations: opened.room.kdf.iterations, epoch: secrets.current.number });
      storage = await StorageGuard.open(dataDir, { quotaBytes: limits.storageQuotaBytes, minFreeBytes: limits.minFreeBytes, checkMs: limits.storageCheckMs }, logger);
      const context: ConnectionContext = {
        secrets, limits, store, logger, storage, tombstones, directory, presence,
        // The room exists by the time a message is stored.
        onStored: () => served.rotateIfDue(),
        addressRates: shared.addressRates,
        roomRate: new TokenBucket(limits.roomBytesPerSecond, limits.roomBytesBurst),
        backoff: shared.backoff,
        isShuttingDown: () => shared.isShuttingDown(),
      };
      const served = new ServedRoom(roomId, options, context, secrets, store, sockets);
      return served;
    } catch (error) {
      storage?.close();
      await store?.close().catch(() => undefined);
      throw error;
    }
  }

  /** A socket of this room, from its upgrade on; `release` stops counting it as unauthenticated. */
  admit(ws: WebSocket, socket: Duplex, address: string, release: () => void): MemberConnection {
    const connection = new MemberConnection(ws, address, this.context, release);
    this.connections.set(connection, ws);
    this.sockets.add(socket);
    ws.on('close', () => {
      this.connections.delete(connection);
      this.sockets.delete(socket);
    });
    return connection;
  }

  /** The heartbeat's work for this room: pings, and the automatic rotation rules. */
  tick(): void {
    for (const connection of this.connections.keys()) connection.ping();
    this.rotateIfDue();
  }

  rotate(): Promise<EpochChange> {
    return this.changeKeys(() => this.secrets.rotate('rotate', this.store.latestSeq() + 1));
  }

  changePassword(password: string): Promise<EpochChange> {
    return this.changeKeys(() => this.secrets.changePassword(password, this.store.latestSeq() + 1));
  }

  /** Commits what was accepted (its acks go out); the unsealed tail stays in the journal. */
  async closeStore(): Promise<void> {
    this.context.storage.close();
    await this.store.close().catch((error: Error) => this.context.logger.log('error', 'store-close-failed', { name: this.options.name ?? undefined, error: error.message }));
  }

  /** After the sockets are closed: a directory write in flight finishes under the lock, so the next start reads it whole. */
  async finish(): Promise<void> {
    await this.context.directory.close();
    this.options.unlock?.();
  }

  private async changeKeys(change: () => Promise<EpochChange>): Promise<EpochChange> {
    if (this.options.cluster !== undefined) throw new Error(CLUSTER_KEY_CHANGE);
    return this.announce(await change());
  }

  private rotateIfDue(): void {
    if (this.options.cluster !== undefined) return;
    const reason = this.secrets.due(this.store.latestSeq() + 1, this.context.limits);
    if (this.rotating || reason === null || reason === 'password-change' || this.options.shared.isShuttingDown()) return;
    this.rotating = true;
    this.secrets.rotate(reason, this.store.latestSeq() + 1)
      .then((change) => this.announce(change), (error: Error) => this.context.logger.log('error', 'rotation-failed', { error: error.message }))
      .finally(() => (this.rotating = false));
  }

  private announce(change: EpochChange): EpochChange {
    this.context.logger.log('info', 'epoch-started', { epoch: change.epoch.number, reason: change.reason });
    if (change.reason === 'password-change') {
      for (const connection of this.connections.keys()) connection.closeWith('password-changed', CLOSE_CODES.passwordChanged);
    } else {
      // Also to connections between their confirmation and their `present`: they hold the epochs already.
      for (const connection of this.connections.keys()) connection.sendEpoch(change.epoch, true);
    }
    return change;
  }
}
