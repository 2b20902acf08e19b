// Messages between the benchmark and its load process (loadChild.ts), over the fork IPC channel.

/** The room password when the target is the secure server; absent for the plain relay (no handshake). */
export interface Target {
  readonly url: string;
  readonly password?: string;
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
}

export interface LatencyRequest {
  readonly kind: 'latency';
  readonly target: Target;
  readonly perSecond: number;
  readonly durationMs: number;
  readonly textBytes: number;
}

export type LoadRequest = ThroughputRequest | LatencyRequest;

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

export type LoadResult = ThroughputResult | LatencyResult | { readonly kind: 'error'; readonly message: string };
