// The webview's handle on VS Code: typed posting to the host and the persisted view state (which
// survives the panel being hidden and the webview reloading).
import type { ViewToHost } from '../protocol/panel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface ViewState {
  readonly draft: string;
}

export interface HostApi {
  post(message: ViewToHost): void;
  readonly initialState: ViewState;
  saveState(state: ViewState): void;
}

/** May be called once per page load (a VS Code rule). */
export function connectToHost(): HostApi {
  const api = acquireVsCodeApi();
  const saved = api.getState() as { draft?: unknown } | undefined;
  return {
    post: (message) => api.postMessage(message),
    initialState: { draft: typeof saved?.draft === 'string' ? saved.draft : '' },
    saveState: (state) => api.setState(state),
  };
}
