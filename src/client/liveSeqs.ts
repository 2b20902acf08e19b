// What the seqs a connection's server sends can truthfully be. A seq travels beside the envelope,
// outside its MAC, so anyone on the path of a ws:// connection can put any seq on a real envelope
// it captured: 2^53-1 would end every later catch-up, 1 would end "load older".
//
// The rule: the welcome says the latest seq stored (latestSeq). Every message stored after it
// reaches this connection once, in seq order, as a `message` frame or as the `ack` of our own send,
// so the n-th such frame carries at most latestSeq + n: that is the ceiling. A seq at or below it
// counts for catch-up and paging; one above it is unvouched: the message verified, so it is shown,
// but its seq counts for nothing. Each forged frame can raise the ceiling by one at most, never to
// the end of the number line. A genuine gap in the numbering (seqs burnt by a commit the disk
// refused) leaves the seqs after it unvouched for the rest of the connection; the next welcome
// starts afresh, and the catch-up then reads them again, which costs bandwidth, not messages.
// A live frame at or below latestSeq, or whose envelope is stamped long ago, is history someone sent
// again: the server refuses envelopes stamped more than 5 minutes off its clock, and a live frame
// leaves the server the moment its message is stored.

/** A live envelope stamped further back than this is history: twice the server's freshness window. */
export const LIVE_FRESHNESS_MS = 10 * 60 * 1000;

/** What a seq says: 'counted', 'unvouched' (beyond the ceiling), or 'history' (a live frame at or below latestSeq). */
export type SeqStanding = 'counted' | 'unvouched' | 'history';

/** Whether a live envelope's timestamp is recent enough for news. */
export function stampedRecently(timestamp: number, now: number): boolean {
  return timestamp >= now - LIVE_FRESHNESS_MS;
}

export class LiveSeqs {
  /** `message` and `ack` frames received on this connection, verified or not. */
  private frames = 0;

  constructor(readonly latestSeq: number) {}

  /** The highest seq the server can hold by now, as far as this connection has seen. */
  get ceiling(): number {
    return this.latestSeq + this.frames;
  }

  /** A `message` or `ack` frame arrived: counted before anything else is made of it. */
  arrived(): void {
    this.frames += 1;
  }

  /** A live `message` frame's seq, or an `ack`'s: stored after the welcome. */
  live(seq: number): SeqStanding {
    return seq <= this.latestSeq ? 'history' : this.stored(seq);
  }

  /** A history page's seq. */
  stored(seq: number): Exclude<SeqStanding, 'history'> {
    return seq >= 1 && seq <= this.ceiling ? 'counted' : 'unvouched';
  }
}
