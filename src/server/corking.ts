// Frames written to many sockets in a row leave in one write per socket, not one per frame: with
// hundreds of members each frame's own writev() dominated the server's CPU. `during` corks around
// one synchronous run (a group commit's acks and broadcasts); `forTurn` corks until the end of
// the current turn of the event loop, so that the joins of a burst of handshakes, which arrive in
// separate socket callbacks of the same turn, share the write too.
import type { Duplex } from 'stream';

export class Corking {
  /** The sockets corked for this turn, uncorked by one setImmediate; null when none are. */
  private turn: Duplex[] | null = null;

  constructor(private readonly sockets: Iterable<Duplex>) {}

  during(run: () => void): void {
    const corked = [...this.sockets];
    for (const socket of corked) socket.cork();
    try {
      run();
    } finally {
      for (const socket of corked) socket.uncork();
    }
  }

  forTurn(): void {
    if (this.turn) return;
    const corked = [...this.sockets];
    this.turn = corked;
    for (const socket of corked) socket.cork();
    setImmediate(() => {
      this.turn = null;
      for (const socket of corked) socket.uncork();
    });
  }
}
