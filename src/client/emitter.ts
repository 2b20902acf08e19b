// A minimal typed event emitter: each event name has exactly one payload type. A listener that
// throws is reported to onListenerError and does not stop the others or the client.

export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (event: keyof Events, error: unknown) => void) {}

  /** Returns the function that removes this listener again. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])] as Listener<Events[K]>[]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
