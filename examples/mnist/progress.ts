/**
 * A training progress bar: steps, loss, throughput and time left. On a terminal it redraws one line in
 * place; anywhere else (a CI log, a pipe) it prints a plain line now and then, since a log cannot redraw.
 */

/** Where the bar writes: a stream, and whether it is a terminal (`process.stderr` is both). */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressOptions {
  /** Steps in the whole run, for the bar and the time left. */
  totalSteps: number;
  /** Examples per step, for the throughput. */
  batchSize: number;
  /** Plain lines (no terminal) at most this often, in milliseconds. Default 10,000. */
  plainEvery?: number;
  /** The clock, in milliseconds (tests pass their own). Default `performance.now`. */
  now?: () => number;
}

/** `seconds` as `m:ss` (or `h:mm:ss`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Tracks the steps of a run and draws them. Throughput counts training steps only: time between
 * {@link ProgressBar.pause} and {@link ProgressBar.resume} (evaluating, saving) is left out of it, but
 * not out of the time left, which scales the whole run so far.
 */
export class ProgressBar {
  private readonly start: number;
  private step = 0;
  private trainingMs = 0;
  private lastStepAt: number | undefined;
  private pausedAt: number | undefined;
  private lastPlain: number;
  private drawn = false;
  private readonly now: () => number;

  constructor(
    private readonly sink: ProgressSink,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.lastPlain = this.start;
  }

  /** Records that step `this.step + 1` finished with `loss`, in epoch `epoch` (from 1), and draws. */
  tick(loss: number, epoch: number): void {
    const now = this.now();
    this.trainingMs += now - (this.lastStepAt ?? this.start);
    this.lastStepAt = now;
    this.step++;
    const line = this.describe(loss, epoch, now);
    const last = this.step === this.options.totalSteps;
    if (this.sink.isTTY) {
      // A line one column short of the terminal's width never wraps (0 columns: a terminal that
      // does not say, as under `script`).
      const columns =
        this.sink.columns !== undefined && this.sink.columns > 0 ? this.sink.columns : 100;
      const width = Math.max(20, columns - 1);
      this.sink.write(`\r\x1b[2K${line.slice(0, width)}`);
      this.drawn = true;
    } else if (last || now - this.lastPlain >= (this.options.plainEvery ?? 10_000)) {
      this.sink.write(`${line}\n`);
      this.lastPlain = now;
    }
  }

  /** Stops the throughput's clock (before evaluating or saving); {@link ProgressBar.resume} restarts it. */
  pause(): void {
    this.pausedAt ??= this.now();
  }

  /** Restarts the throughput's clock: the time since {@link ProgressBar.pause} is not training time. */
  resume(): void {
    if (this.pausedAt === undefined) return;
    this.lastStepAt = (this.lastStepAt ?? this.start) + (this.now() - this.pausedAt);
    this.pausedAt = undefined;
  }

  /**
   * Ends the bar's line on a terminal so that other output starts on a fresh line (the bar is redrawn
   * at the next step).
   */
  breakLine(): void {
    if (this.sink.isTTY && this.drawn) this.sink.write('\n');
    this.drawn = false;
  }

  /** Examples per second over the training steps so far. */
  throughput(): number {
    return this.trainingMs > 0 ? (this.step * this.options.batchSize * 1000) / this.trainingMs : 0;
  }

  private describe(loss: number, epoch: number, now: number): string {
    const { totalSteps } = this.options;
    const fraction = totalSteps > 0 ? this.step / totalSteps : 1;
    const filled = Math.round(fraction * 24);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}]`;
    const elapsed = (now - this.start) / 1000;
    const left = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Infinity;
    const steps = `${String(this.step).padStart(String(totalSteps).length)}/${totalSteps}`;
    return (
      `epoch ${epoch} ${bar} step ${steps} loss ${loss.toFixed(4)} ` +
      `${Math.round(this.throughput())} ex/s elapsed ${formatDuration(elapsed)} ETA ${formatDuration(left)}`
    );
  }
}
