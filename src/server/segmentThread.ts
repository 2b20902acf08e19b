// The event loop's side of a segment worker thread: requests become promises.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { SegmentAnswers, SegmentReply, SegmentRequest } from './segmentRequests';

/** A request the worker could not carry out; `damaged` when a database file it read is not intact. */
export class SegmentWorkerError extends Error {
  constructor(message: string, readonly damaged: boolean) {
    super(message);
  }
}

/** Measured on the store benchmark: the peak RSS about 20 MiB lower than with the default, the CPU the same. */
const YOUNG_GENERATION_MB = 8;

interface Waiting {
  readonly resolve: (value: never) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Started by its first request, not before: a start that needs no segment read (the replay keys come
 * from key files) and no seal yet spends neither the thread's start nor its memory.
 */
export class SegmentThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private stopped: Error | null = null;

  /** `openSegments`: how many segments the thread keeps open for reads. */
  constructor(private readonly openSegments: number) {}

  request<K extends SegmentRequest['kind']>(request: Extract<SegmentRequest, { kind: K }>): Promise<SegmentAnswers[K]> {
    if (this.stopped) return Promise.reject(this.stopped);
    const worker = this.started();
    const id = this.nextId++;
    // Keeps the process alive only while an answer is awaited.
    if (this.waiting.size === 0) worker.ref();
    return new Promise<SegmentAnswers[K]>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: never) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  async terminate(): Promise<void> {
    this.stop(new Error('the store is closing'));
    await this.worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // Next to this file both in the bundle (dist/) and in the compiled tests. A small young generation:
    // a seal's or a page's garbage is short-lived, and the default's semi-spaces only add to the peak RSS.
    const worker = new Worker(path.join(__dirname, 'segmentWorker.js'), {
      workerData: { openSegments: this.openSegments }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.unref();
    worker.on('message', (reply: SegmentReply) => this.settle(reply));
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => this.stop(new Error(`the segment worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: SegmentReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve(reply.value as never);
    else waiting.reject(new SegmentWorkerError(reply.message, reply.damaged));
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.stopped);
    this.waiting.clear();
  }
}
