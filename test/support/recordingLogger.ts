// The one test logger: keeps every entry, shows them as the lines a real logger would write, and
// lets a test wait for an event.
import { LogFields, LogLevel, Logger, formatEvent } from '../../src/protocol/log';
import { within } from './rawClient';

export interface LogEntry {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
}

export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  private readonly waiters: { event: string; resolve: (entry: LogEntry) => void }[] = [];

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    const entry = { level, event, fields };
    this.entries.push(entry);
    for (const waiter of this.waiters.filter((w) => w.event === event)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  }

  /** Each entry as `event key=value...`. */
  get lines(): string[] {
    return this.entries.map((entry) => formatEvent(entry.event, entry.fields));
  }

  /** The first entry for `event`, logged already or to come. */
  next(event: string, ms = 5_000): Promise<LogEntry> {
    const seen = this.entries.find((entry) => entry.event === event);
    if (seen) return Promise.resolve(seen);
    return within(new Promise((resolve) => this.waiters.push({ event, resolve })), ms, `log event ${event}`);
  }
}
