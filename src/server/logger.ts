// One line per event. Callers pass only non-secret fields: addresses, sizes, codes, counts, file
// names. Never a password, key, plaintext or username (not even an encrypted one).
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[\w.:/@+-]*$/.test(text) ? text : JSON.stringify(text);
}

export function formatLogLine(level: LogLevel, event: string, fields: LogFields = {}): string {
  const parts = [new Date().toISOString(), level, event];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

export const stderrLogger: Logger = {
  log(level, event, fields) {
    process.stderr.write(`${formatLogLine(level, event, fields)}\n`);
  },
};

export const silentLogger: Logger = { log() {} };
