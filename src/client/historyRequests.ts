// History requests on one connection, sent one at a time. The server's answer names its request,
// but a refusal may not: a rate-limited history frame gets an error without an id. With a single
// outstanding request, such a refusal can only be about that one, which is then sent again.
import type { ClientFrame, StoredMessage } from '../protocol/wire';
import { randomBytes } from 'crypto';

export interface HistoryRange {
  readonly before?: number;
  readonly after?: number;
  readonly limit: number;
}

export interface HistoryAnswer {
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
}

interface Request {
  readonly frame: Extract<ClientFrame, { type: 'history' }>;
  readonly resolve: (answer: HistoryAnswer) => void;
  readonly reject: (error: Error) => void;
}

export class HistoryRequests {
  private readonly queue: Request[] = [];

  constructor(private readonly send: (frame: ClientFrame) => void) {}

  /** Whether a request is waiting for its answer (and so is what an unnamed refusal is about). */
  get outstanding(): boolean {
    return this.queue.length > 0;
  }

  request(range: HistoryRange): Promise<HistoryAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ frame: { type: 'history', requestId: randomBytes(8).toString('hex'), ...range }, resolve, reject });
      if (this.queue.length === 1) this.resend();
    });
  }

  /** Sends the outstanding request (again). */
  resend(): void {
    if (this.queue[0]) this.send(this.queue[0].frame);
  }

  /** Returns false for an answer to no outstanding request. */
  answer(requestId: string, answer: HistoryAnswer): boolean {
    if (this.queue[0]?.frame.requestId !== requestId) return false;
    this.queue.shift()?.resolve(answer);
    this.resend();
    return true;
  }

  cancel(error: Error): void {
    for (const request of this.queue.splice(0)) request.reject(error);
  }
}
