/** The decision-boundary panel: pick a 2D dataset, train, and watch the boundary move. */
import type { ToyName } from '../data/toy-datasets.js';
import { TrainingLoop } from '../train/loop.js';
import { byId, setText } from '../ui/dom.js';
import { clearError, showError } from '../ui/errors.js';
import { drawBoundary } from './boundary.js';
import { ToySession } from './session.js';

/** The boundary is recomputed every this many steps (it costs about as much as a few steps). */
const REDRAW_EVERY = 10;
/** Grid cells per side of the boundary image (smoothed when scaled up). */
const GRID = 48;

export class ToyPanel {
  private session: ToySession;
  private readonly loop: TrainingLoop;
  private readonly canvas = byId('toy-boundary', HTMLCanvasElement);
  private firstLoss: number | undefined;
  private redraws = 0;
  private replacing = 0;

  constructor(private readonly onError: (error: unknown) => void) {
    this.session = new ToySession(this.dataset());
    this.loop = new TrainingLoop({
      step: () => this.step(),
      onState: () => this.showState(),
      onError: (error) => {
        showError('Training the 2D classifier stopped', error);
        this.onError(error);
      },
    });
    byId('toy-start', HTMLButtonElement).addEventListener('click', () => {
      clearError();
      this.loop.start();
    });
    byId('toy-pause', HTMLButtonElement).addEventListener('click', () => void this.loop.pause());
    byId('toy-reset', HTMLButtonElement).addEventListener(
      'click',
      () => void this.restartShowingErrors(),
    );
    byId('toy-dataset', HTMLSelectElement).addEventListener(
      'change',
      () => void this.restartShowingErrors(),
    );
  }

  /** Starts over with a fresh model on the current backend and the chosen dataset. */
  async restart(): Promise<void> {
    // `loading` from this synchronous first part on, so a click right after a change waits for it.
    this.replacing++;
    this.showState();
    try {
      await this.loop.reset();
      await this.setUp();
    } finally {
      this.replacing--;
      this.showState();
    }
  }

  private async setUp(): Promise<void> {
    this.session = new ToySession(this.dataset());
    this.firstLoss = undefined;
    const loss = byId('toy-loss', HTMLElement);
    delete loss.dataset.first;
    delete loss.dataset.latest;
    setText(loss, '–');
    setText(byId('toy-step', HTMLElement), '0');
    await this.redraw();
  }

  pause(): Promise<void> {
    return this.loop.pause();
  }

  private dataset(): ToyName {
    return byId('toy-dataset', HTMLSelectElement).value === 'moons' ? 'moons' : 'spirals';
  }

  private async restartShowingErrors(): Promise<void> {
    try {
      clearError();
      await this.restart();
    } catch (error) {
      showError('Resetting the 2D classifier', error);
      this.onError(error);
    }
  }

  private async step(): Promise<void> {
    const loss = await this.session.step();
    this.firstLoss ??= loss;
    const element = byId('toy-loss', HTMLElement);
    element.dataset.first = this.firstLoss.toFixed(4);
    element.dataset.latest = loss.toFixed(4);
    setText(element, loss.toFixed(3));
    setText(byId('toy-step', HTMLElement), String(this.session.steps));
    if (this.session.steps % REDRAW_EVERY === 0) await this.redraw();
  }

  private async redraw(): Promise<void> {
    const { grid, accuracy } = await this.session.probabilities(GRID);
    drawBoundary(this.canvas, this.session.data, grid, GRID);
    setText(byId('toy-accuracy', HTMLElement), `${(100 * accuracy).toFixed(1)}%`);
    this.canvas.dataset.redraws = String(++this.redraws);
  }

  /** Shows the loop's state, or `loading` while a new model is being set up (nothing can start). */
  private showState(): void {
    const state = this.replacing > 0 ? 'loading' : this.loop.state;
    byId('toy', HTMLElement).dataset.state = state;
    const start = byId('toy-start', HTMLButtonElement);
    start.disabled = state === 'running' || state === 'loading';
    byId('toy-reset', HTMLButtonElement).disabled = state === 'loading';
    setText(start, state === 'paused' ? 'Resume' : 'Start');
    byId('toy-pause', HTMLButtonElement).disabled = state !== 'running';
  }
}
