// What the client writes to the caller's log (the extension passes its LogOutputChannel, which
// fits this shape). The client logs events and counts, never passwords, keys or message text.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
