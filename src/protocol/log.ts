// One logger shape for every layer: log(level, event, fields). An event is a fixed kebab-case name
// chosen by the code; fields carry the variable parts, so text from a peer or the server never
// lands in a log line unquoted. Callers pass only non-secret fields: addresses, sizes, codes,
// counts, file names; never a password, key, plaintext or username (not even an encrypted one).
// The server's stderr lines (`<ISO time> <level> <event> key=value...`) are the format the
// extension reads back, so the formatter and the reader live here together.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { log() {} };

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[\w.:/@+-]*$/u.test(text) ? text : JSON.stringify(text);
}

/** `event key=value...`: anything but a plain word is JSON-quoted, so a line break or a space cannot fake a field or a line. */
export function formatEvent(event: string, fields: LogFields = {}): string {
  const parts = [event];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

export function formatLogLine(level: LogLevel, event: string, fields: LogFields = {}): string {
  return `${new Date().toISOString()} ${level} ${formatEvent(event, fields)}`;
}

/** A formatted line's level and the rest (`event key=value...`), or null for a line in another format. */
export function parseLogLine(line: string): { level: LogLevel; text: string } | null {
  const match = /^\S+ (debug|info|warn|error) (.*)$/u.exec(line);
  return match ? { level: match[1] as LogLevel, text: match[2] } : null;
}
