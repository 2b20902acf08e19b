// Messages between the benchmark and its load process (loadChild.ts), over the fork IPC channel.

/** The room password when the target is the secure server; absent for the plain relay (no handshake). */
export interface Target {
  readonly url: string;
  readonly password?: string;
  /** A cluster's nodes: receivers and fan-out clients are spread over them in turn; the sender uses `url`. */
  readonly nodes?: readonly string[];
}

export interface ThroughputRequest {
  readonly kind: 'throughput';
  readonly target: Target;
  readonly receivers: number;
  readonly messages: number;
  /** Messages sent but not yet received by every receiver, at most. */
  readonly window: number;
  readonly textBytes: number;
  readonly maxMs: number;
  /** Put before the clients' names: a second run against the same server needs names of its own (names are bound to keys). */
  readonly namePrefix?: string;
}

export interface LatencyRequest {
  readonly kind: 'latency';
  readonly target: Target;
  readonly perSecond: number;
  readonly durationMs: number;
  readonly textBytes: number;
}

/** `members` sockets open and authenticate at once; each is done once it knows every other one is online. */
export interface StormRequest {
  readonly kind: 'storm';
  readonly target: Target;
  readonly members: number;
  readonly maxMs: number;
}

/** `clients` sockets, each sending `perSecond` messages a second (phases spread), for `durationMs`. */
export interface FanoutRequest {
  readonly kind: 'fanout';
  readonly target: Target;
  readonly clients: number;
  readonly perSecond: number;
  readonly durationMs: number;
  readonly textBytes: number;
}

export type LoadRequest = ThroughputRequest | LatencyRequest | StormRequest | FanoutRequest;

export interface ThroughputResult {
  readonly kind: 'throughput';
  /** Messages every receiver got, and deliveries summed over receivers. */
  readonly completed: number;
  readonly deliveries: number;
  readonly ms: number;
  readonly frameBytes: number;
}

export interface LatencyResult {
  readonly kind: 'latency';
  readonly sent: number;
  /** Send to ack, milliseconds, one per acknowledged message. */
  readonly latenciesMs: number[];
}

export interface StormResult {
  readonly kind: 'storm';
  /** Members that saw everyone online, and the time from the first connect to the last of them. */
  readonly complete: number;
  readonly ms: number;
}

export interface FanoutResult {
  readonly kind: 'fanout';
  readonly sent: number;
  /** Send to arrival at each other client, milliseconds, one per delivery. */
  readonly latenciesMs: number[];
  /** Deliveries a complete run has: sent × (clients - 1). */
  readonly expected: number;
}

export type LoadResult = ThroughputResult | LatencyResult | StormResult | FanoutResult | { readonly kind: 'error'; readonly message: string };
