// The webview's handle on VS Code: typed posting to the host and the persisted view state (which
// survives the panel being hidden and the webview reloading).
import { PanelSnippet, ViewToHost, parsePanelSnippet } from '../protocol/panel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface ViewState {
  readonly draft: string;
  /** The snippet attached to the composer, not sent yet. */
  readonly snippet?: PanelSnippet;
}

export interface HostApi {
  post(message: ViewToHost): void;
  readonly initialState: ViewState;
  saveState(state: ViewState): void;
}

/** May be called once per page load (a VS Code rule). */
export function connectToHost(): HostApi {
  const api = acquireVsCodeApi();
  const saved = api.getState() as { draft?: unknown; snippet?: unknown } | undefined;
  // Saved by this page's code, but read back like any input: a state from an older build may not fit.
  const snippet = saved?.snippet === undefined ? undefined : parsePanelSnippet(saved.snippet);
  return {
    post: (message) => api.postMessage(message),
    initialState: { draft: typeof saved?.draft === 'string' ? saved.draft : '', ...(snippet?.ok ? { snippet: snippet.value } : {}) },
    saveState: (state) => api.setState(state),
  };
}
