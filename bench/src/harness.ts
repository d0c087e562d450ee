/** A small timing harness: warm up, then time repeated runs and keep the median. */

/** What one timed case measured. */
export interface Timing {
  name: string;
  /** Median milliseconds per run. */
  medianMs: number;
  runs: number;
}

/**
 * Times `fn`: warms it up for about `warmupMs`, then runs it in batches until `budgetMs` have passed and
 * returns the median time of one run over the batches.
 */
export function time(name: string, fn: () => void, budgetMs = 1500, warmupMs = 300): Timing {
  const until = (ms: number) => performance.now() + ms;
  for (const end = until(warmupMs); performance.now() < end;) fn();
  const samples: number[] = [];
  let runs = 0;
  for (const end = until(budgetMs); performance.now() < end;) {
    const batch = 10;
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn();
    samples.push((performance.now() - start) / batch);
    runs += batch;
  }
  samples.sort((a, b) => a - b);
  return { name, medianMs: samples[Math.floor(samples.length / 2)]!, runs };
}

/** Formats a rate like `2.41 M/s`. */
export function rate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M/s`
    : `${(perSecond / 1e3).toFixed(1)} k/s`;
}
