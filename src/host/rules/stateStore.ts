// The part of vscode.Memento the rules use (globalState, workspaceState), so they are unit-tested
// against a plain map.

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}
