// Small statistics for the benchmarks: medians over repeated runs, percentiles over samples, and
// interleaved A/B runs so that a noisy machine's drift hits the baseline and the subject alike.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface Paired<T> {
  readonly baseline: T[];
  readonly subject: T[];
}

/** Runs baseline, subject, baseline, subject ... `rounds` times each, one after the other. */
export async function interleave<T>(rounds: number, baseline: () => Promise<T>, subject: () => Promise<T>): Promise<Paired<T>> {
  const results: Paired<T> = { baseline: [], subject: [] };
  for (let round = 0; round < rounds; round++) {
    results.baseline.push(await baseline());
    results.subject.push(await subject());
  }
  return results;
}
