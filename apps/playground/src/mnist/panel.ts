/**
 * The MNIST panel: its controls, the training loop, the metrics and plots, the test-digit grid, and
 * (through their own classes) the drawing pad and the weights' download and upload, around one
 * {@link MnistSession} at a time.
 */
import { LinePlot, type Point } from '../plot/line-plot.js';
import { TrainingLoop } from '../train/loop.js';
import { OPTIMISER_NAMES, type OptimiserName } from '../train/optimisers.js';
import { Throughput } from '../train/throughput.js';
import { byId, setText } from '../ui/dom.js';
import { clearError, showError } from '../ui/errors.js';
import { DigitGrid } from './digit-grid.js';
import { MODEL_KINDS, type DigitModel, type ModelKind, kindOf } from './models.js';
import { PadClassifier } from './pad-classifier.js';
import { type MnistConfig, type MnistData, MnistSession } from './session.js';
import { WeightsControls } from './weights.js';

/**
 * While training, the test set is evaluated every EVAL_STEPS steps, or after EVAL_MS on a backend too
 * slow for that; and whenever training pauses.
 */
const EVAL_STEPS = 50;
const EVAL_MS = 5000;
/** Losses averaged for the "now" figure: one batch's loss is noisy. */
const RECENT = 10;
const SEED = 0;

export class MnistPanel {
  private session: MnistSession;
  private readonly loop: TrainingLoop;
  private readonly losses: Point[] = [];
  private readonly accuracies: Point[] = [];
  private readonly throughput = new Throughput();
  private readonly lossPlot: LinePlot;
  private readonly accuracyPlot: LinePlot;
  private readonly grid: DigitGrid;
  private readonly pad: PadClassifier;
  private lastEval = 0;
  private lastEvalStep = 0;
  /** Sessions being replaced (a reset, a backend switch, loaded weights). */
  private replacing = 0;

  /** `onError` hears of training errors after they are shown (the page checks for a lost device). */
  constructor(
    private readonly data: MnistData,
    private readonly onError: (error: unknown) => void,
  ) {
    this.session = new MnistSession(this.readConfig(), data);
    this.loop = new TrainingLoop({
      step: () => this.step(),
      onState: () => this.showState(),
      onError: (error) => {
        showError('Training stopped', error);
        this.onError(error);
      },
    });
    this.lossPlot = new LinePlot(byId('mnist-loss-plot', HTMLCanvasElement), {
      xLabel: 'step',
      yLabel: 'loss',
      format: (y) => y.toFixed(2),
      yMin: 0,
      smoothing: 0.8,
    });
    this.accuracyPlot = new LinePlot(byId('mnist-accuracy-plot', HTMLCanvasElement), {
      xLabel: 'step',
      yLabel: 'accuracy',
      format: (y) => `${Math.round(100 * y)}%`,
      yMin: 0,
      yMax: 1,
    });
    this.grid = new DigitGrid(byId('mnist-digits', HTMLUListElement), data.test);
    this.pad = new PadClassifier((image) => this.session.classify(image), data.test);
    new WeightsControls({
      save: () => this.whilePaused(() => this.session.save()),
      describe: () => ({ kind: kindOf(this.session.model), steps: this.session.steps }),
      use: (model) => this.useModel(model),
    });
    this.wireControls();
  }

  /** Starts over with a fresh model on the current backend (after a reset or a backend switch). */
  async restart(): Promise<void> {
    await this.replaceSession(() => new MnistSession(this.readConfig(), this.data));
  }

  /**
   * Pauses, swaps in the session `make` returns, and evaluates it; meanwhile the panel shows `loading`
   * (from the first, synchronous part on, so a click right after a change cannot start the old model).
   */
  private async replaceSession(make: () => MnistSession): Promise<void> {
    this.replacing++;
    this.showState();
    try {
      await this.loop.reset();
      this.session = make();
      await this.afterNewModel();
    } finally {
      this.replacing--;
      this.showState();
    }
  }

  /** Pauses training; resolves once the step in progress has finished. */
  pause(): Promise<void> {
    return this.loop.pause();
  }

  private wireControls(): void {
    byId('mnist-start', HTMLButtonElement).addEventListener('click', () => {
      clearError();
      this.throughput.restart();
      this.loop.start();
    });
    byId('mnist-pause', HTMLButtonElement).addEventListener(
      'click',
      () => void this.pauseAndEvaluate(),
    );
    byId('mnist-reset', HTMLButtonElement).addEventListener(
      'click',
      () => void this.restartShowingErrors(),
    );
    // Before the first step, a changed setting applies at once; after, at the next reset.
    for (const id of ['mnist-model', 'mnist-optimiser', 'mnist-batch', 'mnist-lr']) {
      byId(id, HTMLElement).addEventListener('change', () => {
        if (this.loop.state === 'ready') void this.restartShowingErrors();
      });
    }
  }

  private async restartShowingErrors(): Promise<void> {
    try {
      clearError();
      await this.restart();
    } catch (error) {
      showError('Reset failed', error);
      this.onError(error);
    }
  }

  /** The settings of the controls, checked. */
  private readConfig(): MnistConfig {
    const model = byId('mnist-model', HTMLSelectElement).value as ModelKind;
    const optimiser = byId('mnist-optimiser', HTMLSelectElement).value as OptimiserName;
    const batchSize = Number(byId('mnist-batch', HTMLSelectElement).value);
    const lrInput = byId('mnist-lr', HTMLInputElement);
    const learningRate = Number(lrInput.value);
    if (!MODEL_KINDS.includes(model) || !OPTIMISER_NAMES.includes(optimiser)) {
      throw new Error(`unknown model '${model}' or optimiser '${optimiser}'`);
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      lrInput.setAttribute('aria-invalid', 'true');
      throw new Error(`the learning rate must be a number in (0, 10], found "${lrInput.value}"`);
    }
    lrInput.removeAttribute('aria-invalid');
    return { model, optimiser, batchSize, learningRate, seed: SEED };
  }

  private async step(): Promise<void> {
    const loss = await this.session.step();
    const steps = this.session.steps;
    this.losses.push({ x: steps, y: loss });
    this.throughput.tick();
    this.showMetrics();
    if (steps - this.lastEvalStep >= EVAL_STEPS || performance.now() - this.lastEval > EVAL_MS) {
      await this.evaluate();
    }
  }

  private async evaluate(): Promise<void> {
    this.lastEval = performance.now();
    this.lastEvalStep = this.session.steps;
    const { accuracy, predicted } = await this.session.evaluate();
    const last = this.accuracies.at(-1);
    if (last?.x === this.session.steps) last.y = accuracy;
    else this.accuracies.push({ x: this.session.steps, y: accuracy });
    this.accuracyPlot.setPoints(this.accuracies);
    const summary = byId('mnist-accuracy-summary', HTMLElement);
    summary.dataset.latest = accuracy.toFixed(4);
    setText(summary, `(${(100 * accuracy).toFixed(1)}% at step ${this.session.steps})`);
    setText(byId('mnist-accuracy', HTMLElement), `${(100 * accuracy).toFixed(1)}%`);
    this.grid.show(predicted);
    // The model changed: what it thinks of the drawing may have too.
    this.pad.classify();
  }

  private showMetrics(): void {
    const steps = this.session.steps;
    setText(byId('mnist-step', HTMLElement), String(steps));
    setText(byId('mnist-epoch', HTMLElement), String(this.session.epoch));
    const recent = this.losses.slice(-RECENT);
    const mean = recent.reduce((sum, p) => sum + p.y, 0) / Math.max(1, recent.length);
    setText(byId('mnist-loss', HTMLElement), recent.length > 0 ? mean.toFixed(3) : '–');
    const summary = byId('mnist-loss-summary', HTMLElement);
    if (this.losses.length > 0) {
      summary.dataset.first = this.losses[0]!.y.toFixed(4);
      summary.dataset.latest = mean.toFixed(4);
      setText(summary, `(${this.losses[0]!.y.toFixed(3)} at step 1, ${mean.toFixed(3)} now)`);
    } else {
      delete summary.dataset.first;
      delete summary.dataset.latest;
      setText(summary, '');
    }
    const rate = this.throughput.stepsPerSecond();
    setText(
      byId('mnist-steps-per-second', HTMLElement),
      rate === undefined ? '–' : rate.toFixed(1),
    );
    setText(
      byId('mnist-examples-per-second', HTMLElement),
      rate === undefined
        ? '–'
        : Math.round(rate * this.session.config.batchSize).toLocaleString('en'),
    );
    this.lossPlot.setPoints(this.losses);
  }

  /** Shows the loop's state, or `loading` while a new model is being set up (nothing can start). */
  private showState(): void {
    const state = this.replacing > 0 ? 'loading' : this.loop.state;
    byId('mnist', HTMLElement).dataset.state = state;
    const start = byId('mnist-start', HTMLButtonElement);
    start.disabled = state === 'running' || state === 'loading';
    byId('mnist-reset', HTMLButtonElement).disabled = state === 'loading';
    setText(start, state === 'paused' ? 'Resume' : 'Start');
    byId('mnist-pause', HTMLButtonElement).disabled = state !== 'running';
  }

  /** Pauses, then shows the test figures for where training stopped. */
  private async pauseAndEvaluate(): Promise<void> {
    await this.loop.pause();
    try {
      await this.evaluate();
    } catch (error) {
      showError('Evaluating the model', error);
      this.onError(error);
    }
  }

  /** Runs `task` with training paused, then resumes it if it was running. */
  private async whilePaused<T>(task: () => Promise<T>): Promise<T> {
    const wasRunning = this.loop.state === 'running';
    await this.loop.pause();
    try {
      return await task();
    } finally {
      if (wasRunning) this.loop.start();
    }
  }

  /** Continues from a model loaded from a file (a fresh optimiser state). */
  private async useModel(model: DigitModel): Promise<void> {
    byId('mnist-model', HTMLSelectElement).value = kindOf(model);
    await this.replaceSession(() => new MnistSession(this.readConfig(), this.data, model));
  }

  private async afterNewModel(): Promise<void> {
    this.losses.length = 0;
    this.accuracies.length = 0;
    this.throughput.restart();
    this.lossPlot.clear();
    this.showMetrics();
    this.grid.show(null);
    await this.evaluate();
  }
}
