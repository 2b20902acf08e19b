// One piece of work at a time per key (a room's address): a call for a key that has work running
// waits for it to settle before its own starts. Two overlapping connects to one room (the start-up
// rejoin and a Join, a double Reconnect) would otherwise both pass their checks before their awaits
// (password prompt, identity load) and both create a session. Free of the vscode API so the rule is
// unit-tested.
export class OneAtATime<K> {
  private readonly running = new Map<K, Promise<unknown>>();

  run<T>(key: K, work: () => Promise<T>): Promise<T> {
    const earlier = this.running.get(key);
    // An earlier failure is that call's to report, not this one's.
    const now = (earlier ? earlier.then(() => undefined, () => undefined) : Promise.resolve()).then(work);
    this.running.set(key, now);
    const forget = (): void => {
      if (this.running.get(key) === now) this.running.delete(key);
    };
    now.then(forget, forget);
    return now;
  }
}
