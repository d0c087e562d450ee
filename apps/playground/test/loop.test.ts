// The training loop: its states, pausing only between steps, never two loops at once, a failing step
// pausing it, and the yield between steps being a real task rather than a microtask.
import { type LoopHooks, type LoopState, TrainingLoop, yieldToPage } from '../src/train/loop.js';

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits for a few timer turns: long enough for a loop of instant steps to take several. */
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition()` holds, failing after `limitMs`. */
async function until(condition: () => boolean, limitMs = 2000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`until: the condition did not hold within ${limitMs} ms`);
    await settle(1);
  }
}

/**
 * Hooks that record what the loop does: the states it reports, the errors, how many steps started and
 * how many ran at the same time. Each step waits for `gate()` (by default a task turn).
 */
function recordingHooks(gate: (call: number) => Promise<void> = () => yieldToPage()) {
  const record = {
    states: [] as LoopState[],
    errors: [] as unknown[],
    calls: 0,
    active: 0,
    most: 0,
  };
  const hooks: LoopHooks = {
    async step() {
      record.calls++;
      record.active++;
      record.most = Math.max(record.most, record.active);
      try {
        await gate(record.calls);
      } finally {
        record.active--;
      }
    },
    onState: (state) => void record.states.push(state),
    onError: (error) => void record.errors.push(error),
  };
  return { record, hooks };
}

test('ready, then running, paused, running again, and ready after reset', async () => {
  const { record, hooks } = recordingHooks();
  const loop = new TrainingLoop(hooks);
  expect(loop.state).toBe('ready');
  loop.start();
  expect(loop.state).toBe('running');
  await until(() => record.calls >= 3);
  await loop.pause();
  expect(loop.state).toBe('paused');
  const pausedAt = record.calls;
  await settle();
  // Paused means no further step.
  expect(record.calls).toBe(pausedAt);
  loop.start();
  expect(loop.state).toBe('running');
  await until(() => record.calls >= pausedAt + 3);
  await loop.reset();
  expect(loop.state).toBe('ready');
  expect(record.states).toEqual(['running', 'paused', 'running', 'paused', 'ready']);
  expect(record.errors).toEqual([]);
});

test('pause() resolves only once the step in progress has finished, and no step starts after it', async () => {
  const gates: ReturnType<typeof deferred>[] = [];
  const { record, hooks } = recordingHooks(() => {
    gates.push(deferred());
    return gates.at(-1)!.promise;
  });
  const loop = new TrainingLoop(hooks);
  loop.start();
  await until(() => record.calls === 1);
  let paused = false;
  const pausing = loop.pause().then(() => (paused = true));
  expect(loop.state).toBe('paused');
  await settle();
  // The step is still running, so pause() has not resolved.
  expect(paused).toBe(false);
  expect(record.active).toBe(1);
  gates[0]!.resolve();
  await pausing;
  expect(record.active).toBe(0);
  await settle();
  expect(record.calls).toBe(1);
});

test('start() while running, or again before a pause has taken effect, never runs two loops', async () => {
  const { record, hooks } = recordingHooks();
  const loop = new TrainingLoop(hooks);
  loop.start();
  loop.start();
  await until(() => record.calls >= 5);
  // Resuming while the paused loop's last step is still in flight: that loop carries on, alone.
  void loop.pause();
  loop.start();
  const resumedAt = record.calls;
  await until(() => record.calls >= resumedAt + 5);
  expect(record.most).toBe(1);
  // start() while already running reports no new state.
  expect(record.states).toEqual(['running', 'paused', 'running']);
  await loop.pause();
});

test('a step that throws pauses the loop and reports the error once', async () => {
  const failure = new Error('out of memory');
  const { record, hooks } = recordingHooks(async (call) => {
    await yieldToPage();
    if (call === 3) throw failure;
  });
  const loop = new TrainingLoop(hooks);
  loop.start();
  await until(() => record.errors.length > 0);
  expect(loop.state).toBe('paused');
  await settle();
  expect(record.errors).toEqual([failure]);
  expect(record.calls).toBe(3);
  expect(record.states).toEqual(['running', 'paused']);
  // The loop can be started again after the error.
  loop.start();
  await until(() => record.calls >= 5);
  await loop.pause();
  expect(record.errors).toHaveLength(1);
});

test('yieldToPage() resolves in a later task, after the microtasks already queued', async () => {
  const order: string[] = [];
  const yielded = yieldToPage().then(() => order.push('yield'));
  void Promise.resolve()
    .then(() => order.push('microtask 1'))
    .then(() => order.push('microtask 2'));
  await yielded;
  expect(order).toEqual(['microtask 1', 'microtask 2', 'yield']);
});

test('a step that throws synchronously still lets start() run the loop again', async () => {
  let calls = 0;
  const loop = new TrainingLoop({
    step: () => {
      calls++;
      if (calls === 1) throw new Error('sync failure');
      return settle(1);
    },
    onState: () => {},
    onError: () => {},
  });
  loop.start();
  await settle(30);
  expect(loop.state).toBe('paused');
  loop.start();
  await settle(30);
  try {
    expect(calls).toBeGreaterThan(1);
  } finally {
    await loop.pause();
  }
});

test('pause() resolves once the step in flight ends, even if start() came before it ended', async () => {
  const loop = new TrainingLoop({ step: () => settle(10), onState: () => {}, onError: () => {} });
  loop.start();
  let paused = false;
  void loop.pause().then(() => (paused = true));
  loop.start(); // Resume clicked while the last step was still running
  await settle(100);
  try {
    expect(paused).toBe(true);
  } finally {
    await loop.pause();
  }
});
