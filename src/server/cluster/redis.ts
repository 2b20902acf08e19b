// The Redis side of a cluster: connections that fail fast rather than queue, the room's key names,
// and the Lua scripts that make each step atomic across nodes. Redis holds only what a single
// server's data directory holds besides room.json: envelopes (ciphertext), message ids and IVs,
// seqs, tombstones (envelopes too), and presence entries (an epoch number and a sealed username: see docs/SECURITY.md).
import { createHash } from 'crypto';
import Redis from 'ioredis';
import { StartError } from '../errors';
import { UnavailableError } from '../roomLog';

/** A command that takes longer is answered `unavailable`; the sender keeps the message and retries. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** How long a start waits for Redis before it gives up. */
const START_TIMEOUT_MS = 10_000;
/** Reconnect delay: grows by 100 ms per attempt up to this. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** host:port of a redis:// address, never its user or password (which must not reach a log line). */
export function redisEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'an unreadable address';
  }
}

/**
 * One connection. No offline queue and no retries per command: while Redis is out of reach a
 * command fails at once (the member hears `unavailable`) instead of waiting to be sent later,
 * when its sender may long have given up on it. The connection itself keeps reconnecting.
 */
export function connect(url: string, blocking: boolean): Redis {
  const redis = new Redis(url, {
    // RESP2: the reply shapes of the Redis documentation (RESP3 would give XREAD's reply as a flat map).
    protocol: 2,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // A blocking XREAD waits longer than any command timeout by design.
    commandTimeout: blocking ? undefined : COMMAND_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    lazyConnect: true,
  });
  // Without a listener ioredis prints each failed reconnect; the log reports an outage once instead.
  redis.on('error', () => undefined);
  return redis;
}

/** Connects, or throws a StartError naming the endpoint (not the password an address may carry). */
export async function connected(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } catch (error) {
    redis.disconnect();
    throw new StartError('internal', `cannot reach Redis at ${redisEndpoint(url)}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Any failure of a command: Redis out of reach, too slow, or refusing writes (out of memory, read-only). */
export function unavailable(error: unknown): UnavailableError {
  return new UnavailableError(`redis: ${error instanceof Error ? error.message : String(error)}`);
}

/** Key names of one room; the hash tag keeps them in one slot should Redis ever be sharded. */
export function roomKeys(roomId: string) {
  const prefix = `secure-chat:{${roomId}}:`;
  return {
    /** Stream of messages: entry id `<seq>-0`, fields e (envelope), n (node), t (token on that node). */
    log: `${prefix}log`,
    /** The last seq given out. */
    seq: `${prefix}seq`,
    /** Every stored message id and IV, for the replay check. */
    ids: `${prefix}ids`,
    ivs: `${prefix}ivs`,
    /** Hash of deleted seqs: seq → the number of the tombstone that replaces it (src/server/tombstones.ts). */
    deleted: `${prefix}deleted`,
    /** Hash of tombstones: number (1, 2, …) → its envelope. */
    tombstones: `${prefix}tombstones`,
    /** Hash of members online: field `<node>:<n>` → presence entry. */
    online: `${prefix}online`,
    /** Stream of joins and leaves: fields o (join/leave), m (field), u (presence entry). */
    presence: `${prefix}presence`,
    /** Hash of nodes: node id → until when (ms, Redis's clock) it counts as running unless it beats again. */
    nodes: `${prefix}nodes`,
    /** What the nodes' room.json say about the room's public parameters and epochs (roomFingerprint). */
    room: `${prefix}room`,
  };
}
export type RoomKeys = ReturnType<typeof roomKeys>;

/** Lua: Redis's clock in ms, so that every node's liveness is judged by one clock. */
const NOW = `local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)`;

/** Presence events kept in their stream: a node further behind takes a fresh snapshot instead. */
export const PRESENCE_EVENTS_KEPT = 10_000;

export class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script once per Redis (again after a restart, which forgets scripts). */
  async run(redis: Redis, keys: readonly string[], args: readonly (string | Buffer | number)[]): Promise<unknown> {
    try {
      return await redis.callBuffer('EVALSHA', this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.callBuffer('EVAL', this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * The replay check, the next seq and the durable append, as one step: 0 if the id or the IV is
 * stored already, else the new seq. Every id and IV stays in its set for the room's life, so the
 * answer is exact for any envelope, as a single server's is.
 */
export const APPEND = new Script(`
if redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 or redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1 then return 0 end
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], seq .. '-0', 'e', ARGV[3], 'n', ARGV[4], 't', ARGV[5])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[2])
return seq
`);

/**
 * A tombstone (ARGV: capacity, envelope, then the seqs it replaces) stored under the next number
 * and named by each seq: 0 if the room keeps `capacity` tombstones already, else 1.
 */
export const ADD_TOMBSTONE = new Script(`
local number = redis.call('HLEN', KEYS[2]) + 1
if number > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], number, ARGV[2])
for i = 3, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], number) end
return 1
`);

/** For each seq in ARGV, the envelope of the tombstone that replaces it, or nil. */
export const TOMBSTONES_OF = new Script(`
local found = {}
for i = 1, #ARGV do
  local number = redis.call('HGET', KEYS[1], ARGV[i])
  found[i] = number and redis.call('HGET', KEYS[2], number) or false
end
return found
`);

/** 1 if the id or the IV is stored. */
export const HOLDS = new Script(`
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 or redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then return 1 end
return 0
`);

/** A member joins (ARGV: field, entry): listed, and the event published, together. */
export const JOIN = new Script(`
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${PRESENCE_EVENTS_KEPT}, '*', 'o', 'join', 'm', ARGV[1], 'u', ARGV[2])
end
return 1
`);

/** A member leaves (ARGV: field): published only if it was listed (another node may have reaped it). */
export const LEAVE = new Script(`
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if entry then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${PRESENCE_EVENTS_KEPT}, '*', 'o', 'leave', 'm', ARGV[1], 'u', entry)
end
return 1
`);

/**
 * A node's members as they are now (ARGV: node, then field, entry pairs): what Redis lists for the
 * node beyond them leaves, what it lacks joins. Run after an outage, when events may have been lost.
 */
export const RESYNC = new Script(`
local prefix = ARGV[1] .. ':'
local now = {}
for i = 2, #ARGV, 2 do now[ARGV[i]] = ARGV[i + 1] end
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  if string.sub(field, 1, #prefix) == prefix and now[field] == nil then
    local entry = redis.call('HGET', KEYS[1], field)
    redis.call('HDEL', KEYS[1], field)
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${PRESENCE_EVENTS_KEPT}, '*', 'o', 'leave', 'm', field, 'u', entry)
  end
end
for field, entry in pairs(now) do
  if redis.call('HSETNX', KEYS[1], field, entry) == 1 then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${PRESENCE_EVENTS_KEPT}, '*', 'o', 'join', 'm', field, 'u', entry)
  end
end
return 1
`);

/**
 * A node's heartbeat (ARGV: node, lifetime in ms): it counts as running for that long. 0 if it had
 * stopped counting already (others may have made its members leave), else 1.
 */
export const BEAT = new Script(`
${NOW}
local expiry = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
redis.call('HSET', KEYS[1], ARGV[1], now + tonumber(ARGV[2]))
if expiry and expiry >= now then return 1 end
return 0
`);

/**
 * Members of nodes that stopped beating (killed, or cut off longer than their lifetime) leave, once,
 * whichever node notices first; such nodes are forgotten.
 */
export const REAP = new Script(`
${NOW}
local dead = {}
local reaped = 0
for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
  local node = string.match(field, '^([^:]+):')
  if dead[node] == nil then
    local expiry = tonumber(redis.call('HGET', KEYS[3], node))
    dead[node] = expiry == nil or expiry < now
  end
  if dead[node] then
    local entry = redis.call('HGET', KEYS[1], field)
    redis.call('HDEL', KEYS[1], field)
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ${PRESENCE_EVENTS_KEPT}, '*', 'o', 'leave', 'm', field, 'u', entry)
    reaped = reaped + 1
  end
end
local nodes = redis.call('HGETALL', KEYS[3])
for i = 1, #nodes, 2 do
  if tonumber(nodes[i + 1]) < now then redis.call('HDEL', KEYS[3], nodes[i]) end
end
return reaped
`);

/**
 * A starting node (ARGV: its room fingerprint, node, lifetime in ms) joins if its room.json agrees
 * with the running nodes'; when none runs, its room.json becomes the cluster's (a key change done
 * offline). 1 if it joined (and now counts as running), else 0.
 */
export const CLAIM = new Script(`
${NOW}
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then
  local nodes = redis.call('HGETALL', KEYS[2])
  for i = 1, #nodes, 2 do
    if tonumber(nodes[i + 1]) >= now then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], now + tonumber(ARGV[3]))
return 1
`);

/** Who is online and from which presence event on to follow the changes, read together. */
export const SNAPSHOT = new Script(`
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local id = '0-0'
if last[1] then id = last[1][1] end
return { id, redis.call('HGETALL', KEYS[1]) }
`);
