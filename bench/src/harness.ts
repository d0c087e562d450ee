/** A small timing harness for comparing implementations of one workload in the same process. */

/** One implementation of the workload. */
export interface Case {
  name: string;
  run: () => void;
}

/** What one case measured. */
export interface Timing {
  name: string;
  /** Median milliseconds per run. */
  medianMs: number;
  /** How many times the case ran while being timed. */
  runs: number;
}

/**
 * Times the cases against each other: warms each up, then runs them in interleaved rounds (a batch of
 * each per round, in turn) for about `budgetMs` in all, so that drift in the machine's speed and garbage
 * collection falls on every case alike. Returns each case's median time per run over the rounds.
 */
export function compare(cases: readonly Case[], budgetMs = 4000, batch = 10): Timing[] {
  for (const c of cases) for (let i = 0; i < 5 * batch; i++) c.run();
  const samples = cases.map((): number[] => []);
  const end = performance.now() + budgetMs;
  while (performance.now() < end) {
    cases.forEach((c, k) => {
      const start = performance.now();
      for (let i = 0; i < batch; i++) c.run();
      samples[k]!.push((performance.now() - start) / batch);
    });
  }
  return cases.map((c, k) => {
    const sorted = samples[k]!.sort((a, b) => a - b);
    return {
      name: c.name,
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
      runs: sorted.length * batch,
    };
  });
}

/** Formats a rate like `2.41 M/s`. */
export function rate(perSecond: number): string {
  return perSecond >= 1e6
    ? `${(perSecond / 1e6).toFixed(2)} M/s`
    : `${(perSecond / 1e3).toFixed(1)} k/s`;
}
