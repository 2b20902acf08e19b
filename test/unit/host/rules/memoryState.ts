import type { StateStore } from '../../../../src/host/rules/stateStore';

/** Workspace state as VS Code keeps it: a key-value store whose updates settle later. */
export class MemoryState implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}
