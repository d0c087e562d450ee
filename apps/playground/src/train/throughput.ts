/** Steps per second over the last few seconds of training (a window, so pauses do not drag it down). */

/** How far back the rate looks, in milliseconds. */
const WINDOW_MS = 3000;

export class Throughput {
  private readonly times: number[] = [];

  /** Records a finished step at `now` (milliseconds, as `performance.now()`). */
  tick(now: number = performance.now()): void {
    this.times.push(now);
    while (this.times.length > 2 && now - this.times[0]! > WINDOW_MS) this.times.shift();
  }

  /** Forgets the window (after a pause, so the idle time does not count). */
  restart(): void {
    this.times.length = 0;
  }

  /** Steps per second, or undefined until two steps have been recorded. */
  stepsPerSecond(): number | undefined {
    const n = this.times.length;
    if (n < 2) return undefined;
    const span = this.times[n - 1]! - this.times[0]!;
    return span > 0 ? ((n - 1) * 1000) / span : undefined;
  }
}
