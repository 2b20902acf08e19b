// The benchmark report: one row per figure, printed as a table and kept as JSON.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Row {
  readonly bench: string;
  readonly metric: string;
  /** Median of the baseline runs, formatted; empty when the figure has no baseline. */
  readonly baseline: string;
  readonly subject: string;
  /** subject / baseline where both exist. */
  readonly ratio: string;
  readonly target: string;
  /** Whether the target is met; undefined when the row has no target. */
  readonly met?: boolean;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly date: string;
}

export function machine(): Machine {
  const model = /^model name\s*:\s*(.*)$/m.exec(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1];
  return {
    cpu: model ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

export function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratio(subject: number, baseline: number): string {
  return `${(subject / baseline).toFixed(2)}×`;
}

/** A Markdown table: readable in a terminal and pasted as is into the README. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'metric', 'baseline', 'subject', 'ratio', 'target', 'met'];
  const cells = rows.map((row) => [row.bench, row.metric, row.baseline, row.subject, row.ratio, row.target, row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

export function writeResults(dir: string, result: { machine: Machine; rows: readonly Row[]; details: Record<string, unknown> }): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
