/**
 * Runs a training step after another without freezing the page: between steps it yields to the event
 * loop, so clicks, drawing and redraws go on while a model trains.
 */

/** `ready`: nothing trained yet; `running`; `paused` (by the user, or by an error). */
export type LoopState = 'ready' | 'running' | 'paused';

/** What a loop calls. */
export interface LoopHooks {
  /** One training step. */
  step(): Promise<void>;
  /** Called when the state changes. */
  onState(state: LoopState): void;
  /** Called when a step throws; the loop is paused by then. */
  onError(error: unknown): void;
}

/**
 * Resolves in a new task, after the browser has had the chance to handle input, run timers and paint:
 * a MessageChannel message, an ordinary task. (A timer would be throttled to 4 ms after a few nested
 * calls; `scheduler.yield()` resumes ahead of other tasks, so a loop of synchronous CPU steps would
 * starve the page's timers.)
 */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Start, pause and reset for a training loop. */
export class TrainingLoop {
  private current: LoopState = 'ready';
  /** Whether a run of steps is going on (it ends at the first check after a pause). */
  private looping = false;
  /** The step in progress, or the last one; settles when it ends, whether it threw or not. */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly hooks: LoopHooks) {}

  get state(): LoopState {
    return this.current;
  }

  /** Starts (or resumes) stepping; does nothing if already running. */
  start(): void {
    if (this.current === 'running') return;
    this.setState('running');
    // A run paused while its last step was still going sees the new state and simply goes on.
    if (!this.looping) void this.run();
  }

  /** Stops after the step in progress; resolves once it has finished. */
  async pause(): Promise<void> {
    if (this.current === 'running') this.setState('paused');
    await this.inFlight;
  }

  /** Pauses, then marks the loop as not started (the caller replaces what it trains). */
  async reset(): Promise<void> {
    await this.pause();
    this.setState('ready');
  }

  private async run(): Promise<void> {
    this.looping = true;
    try {
      while (this.current === 'running') {
        // Through then(), so that a step that throws before returning its promise is caught too.
        const step = Promise.resolve().then(() => this.hooks.step());
        this.inFlight = step.then(
          () => undefined,
          () => undefined,
        );
        await step;
        await yieldToPage();
      }
    } catch (error) {
      this.setState('paused');
      this.hooks.onError(error);
    } finally {
      this.looping = false;
    }
  }

  private setState(state: LoopState): void {
    this.current = state;
    this.hooks.onState(state);
  }
}
