// The server logs to stderr, one formatted line per event (src/protocol/log.ts has the shape and
// the rules for what may be logged).
import { Logger, formatLogLine } from '../protocol/log';

export type { LogFields, LogLevel, Logger } from '../protocol/log';
export { silentLogger } from '../protocol/log';

export const stderrLogger: Logger = {
  log(level, event, fields) {
    process.stderr.write(`${formatLogLine(level, event, fields)}\n`);
  },
};
