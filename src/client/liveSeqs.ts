// What the seqs a connection's server sends can truthfully be. A seq travels beside the envelope,
// outside its MAC, so anyone on the path of a ws:// connection can put any seq on a real envelope
// it captured: 2^53-1 would end every later catch-up, 1 would end "load older".
//
// The rule: the welcome says the latest seq stored (latestSeq). Every message stored after it
// reaches this connection once, in seq order, as a `message` frame or as the `ack` of our own send,
// so the n-th such frame carries at most latestSeq + n (exactly that unless a frame was lost or
// forged). A live message is news only with a seq in that range and an envelope stamped recently,
// since the server refuses envelopes stamped more than 5 minutes off its clock; one at or below
// latestSeq, or stamped long ago, is history someone sent again. A seq beyond the range is
// implausible and counts for nothing; history pages may hold only seqs up to the same ceiling. So
// each forged frame can move the ceiling by one at most, never to the end of the number line.

/** A live envelope stamped further back than this is history: twice the server's freshness window. */
export const LIVE_FRESHNESS_MS = 10 * 60 * 1000;

export type LiveVerdict = 'news' | 'history' | 'implausible';

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

  /** Judges a verified live `message` frame. */
  message(seq: number, timestamp: number, now: number): LiveVerdict {
    if (seq <= this.latestSeq) return 'history';
    if (seq > this.ceiling) return 'implausible';
    return timestamp < now - LIVE_FRESHNESS_MS ? 'history' : 'news';
  }

  /** Whether an `ack`'s seq can be the one the server gave our message. */
  ack(seq: number): boolean {
    return seq > this.latestSeq && seq <= this.ceiling;
  }

  /** Whether a history page's seq can be one the server holds. */
  holds(seq: number): boolean {
    return seq >= 1 && seq <= this.ceiling;
  }
}
