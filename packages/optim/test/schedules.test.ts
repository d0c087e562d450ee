// Learning-rate schedules: values at and around every boundary, worked out by hand from Optax's
// documented formulas; the same values under jit (one trace for every count); schedules as sgd's
// learning rate; errors for bad arguments.
import {
  type Tensor,
  TensorError,
  applyUpdates,
  debug,
  filterJit,
  jit,
  numpy,
} from '@equinox-ts/autodiff';
import {
  type GradientTransformation,
  type TensorSchedule,
  constantSchedule,
  cosineDecaySchedule,
  cosineOnecycleSchedule,
  exponentialDecay,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
  polynomialSchedule,
  sgd,
  sgdrSchedule,
  warmupConstantSchedule,
  warmupCosineDecaySchedule,
} from '../src/index.js';

const int32 = (n: number): Tensor => numpy.array(n, { dtype: 'int32' });

/** Checks `schedule` at each `[step, value]`, with the step given both as a number and as an int32 tensor. */
function expectValues(schedule: TensorSchedule, expected: [number, number][], digits = 6): void {
  for (const [step, value] of expected) {
    const fromNumber = schedule(step);
    expect(fromNumber.dtype).toBe('float32');
    expect(fromNumber.shape).toEqual([]);
    expect([step, fromNumber.item()]).toEqual([step, expect.closeTo(value, digits)]);
    expect([step, schedule(int32(step)).item()]).toEqual([step, expect.closeTo(value, digits)]);
  }
}

const halfCosine = (fraction: number) => 0.5 * (1 + Math.cos(Math.PI * fraction));

describe('schedules: values at the boundaries', () => {
  test('constantSchedule', () => {
    expectValues(constantSchedule(0.3), [
      [0, 0.3],
      [7, 0.3],
      [100000, 0.3],
    ]);
  });

  test('linearSchedule: held before transitionBegin, linear over transitionSteps, then endValue', () => {
    // init 1, end 0.2, 4 steps from step 3: step 3 + t is 1 - 0.8 * t / 4.
    expectValues(linearSchedule(1, 0.2, 4, { transitionBegin: 3 }), [
      [0, 1],
      [2, 1],
      [3, 1], // transitionBegin: t = 0
      [4, 0.8], // 1 - 0.8 * 1/4
      [6, 0.4], // last step of the transition: 1 - 0.8 * 3/4
      [7, 0.2], // the end: endValue
      [50, 0.2],
    ]);
    // Increasing works the same way: 0 -> 2 over 2 steps.
    expectValues(linearSchedule(0, 2, 2), [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 2],
    ]);
    // No transition (Optax's convention): the constant initValue.
    expectValues(linearSchedule(0.5, 0, 0), [
      [0, 0.5],
      [10, 0.5],
    ]);
  });

  test('polynomialSchedule: (init - end) * (1 - t/T)^power + end', () => {
    // init 2, end 1, power 2, T = 4: 1 + (1 - t/4)^2.
    expectValues(polynomialSchedule(2, 1, 2, 4), [
      [0, 2],
      [1, 1.5625], // 1 + 0.75^2
      [2, 1.25], // 1 + 0.5^2
      [3, 1.0625], // 1 + 0.25^2
      [4, 1],
      [5, 1],
    ]);
    // Optax's documented example: init 1, end 0.01, power 2, 100 steps from step 5.
    expectValues(
      polynomialSchedule(1, 0.01, 2, 100, { transitionBegin: 5 }),
      [
        [0, 1],
        [5, 1],
        [6, 0.980299], // 0.99 * 0.99^2 + 0.01
        [104, 0.010099], // 0.99 * 0.01^2 + 0.01
        [105, 0.01],
        [110, 0.01],
      ],
      5,
    );
  });

  test('warmupConstantSchedule: linear warmup, then the peak for good', () => {
    expectValues(warmupConstantSchedule(0.5, 1, 2), [
      [0, 0.5],
      [1, 0.75],
      [2, 1],
      [10, 1],
    ]);
  });

  test('cosineDecaySchedule: alpha is the floor, exponent shapes the curve', () => {
    // init 2, 8 steps, alpha 0.25: 2 * (0.75 * 0.5 * (1 + cos(pi t / 8)) + 0.25).
    expectValues(cosineDecaySchedule(2, 8, { alpha: 0.25 }), [
      [0, 2],
      [2, 1.7803301], // cos(pi/4) = 0.70710678: 2 * (0.375 * 1.70710678 + 0.25)
      [4, 1.25], // cos(pi/2) = 0: 2 * (0.375 + 0.25)
      [7, 2 * (0.75 * halfCosine(7 / 8) + 0.25)], // the last step of the decay
      [8, 0.5], // cos(pi) = -1: 2 * 0.25
      [9, 0.5],
      [1000, 0.5],
    ]);
    // exponent 2: (0.5 * (1 + cos(pi/4)))^2 = (0.5 + sqrt(2)/4)^2 = 0.375 + sqrt(2)/4 = 0.72855339.
    expectValues(cosineDecaySchedule(1, 4, { exponent: 2 }), [
      [0, 1],
      [1, 0.7285534],
      [2, 0.25],
      [4, 0],
    ]);
  });

  test('warmupCosineDecaySchedule: warmup to the peak, cosine decay ending at decaySteps', () => {
    // init 0.1, peak 1, 4 warmup steps, 12 steps in all (so 8 of decay), end 0.2 (alpha = 0.2 / 1).
    const schedule = warmupCosineDecaySchedule(0.1, 1, 4, 12, { endValue: 0.2 });
    expectValues(schedule, [
      [0, 0.1],
      [1, 0.325], // 0.1 + 0.9 / 4
      [3, 0.775], // the last warmup step: 0.1 + 0.9 * 3/4
      [4, 1], // the warmup's end is the peak and the decay's step 0
      [8, 0.6], // decay step 4 of 8: 0.8 * 0.5 + 0.2
      [11, 0.23044819], // decay step 7: 0.8 * 0.5 * (1 + cos(7 pi / 8)) + 0.2
      [12, 0.2], // the decay's end
      [40, 0.2],
    ]);
    // No warmup: the decay starts at once, from the peak.
    expectValues(warmupCosineDecaySchedule(0, 1, 0, 4), [
      [0, 1],
      [2, 0.5],
      [4, 0],
    ]);
    // exponent 2 applies to the decay only: step 1 of 2 is (0.5)^2.
    expectValues(warmupCosineDecaySchedule(0, 1, 1, 3, { exponent: 2 }), [
      [0, 0],
      [1, 1],
      [2, 0.25],
    ]);
    // peak 0: alpha 0 (no division by zero), the value stays 0 after the warmup from 1.
    expectValues(warmupCosineDecaySchedule(1, 0, 2, 4, { endValue: 0.5 }), [
      [1, 0.5],
      [2, 0],
      [9, 0],
    ]);
  });

  test('exponentialDecay: smooth, staircase, transitionBegin and endValue', () => {
    // init 2, rate 0.5 per 4 steps from step 2: 2 * 0.5^((count - 2) / 4) once count > 2.
    expectValues(exponentialDecay(2, 4, 0.5, { transitionBegin: 2 }), [
      [0, 2],
      [2, 2], // count - transitionBegin <= 0: initValue
      [4, Math.SQRT2], // 2 * 0.5^(1/2)
      [6, 1], // 2 * 0.5
      [10, 0.5], // 2 * 0.5^2
    ]);
    // Staircase: the exponent rounded down, so the value drops exactly at 2 + 4k.
    expectValues(exponentialDecay(2, 4, 0.5, { transitionBegin: 2, staircase: true }), [
      [5, 2], // floor(3/4) = 0
      [6, 1], // floor(4/4) = 1: a step boundary takes the new value
      [9, 1], // floor(7/4) = 1
      [10, 0.5], // floor(8/4) = 2
    ]);
    // endValue is a floor when decaying...
    expectValues(exponentialDecay(2, 4, 0.5, { transitionBegin: 2, endValue: 0.75 }), [
      [6, 1],
      [10, 0.75], // max(0.5, 0.75)
    ]);
    // ...and a ceiling when growing (rate 2 per step).
    expectValues(exponentialDecay(1, 1, 2, { endValue: 3 }), [
      [0, 1],
      [1, 2],
      [2, 3], // min(4, 3)
      [5, 3],
    ]);
  });

  test('piecewiseConstantSchedule: a boundary step takes the scaled value; keys in any order', () => {
    // 0.1, times 2 from step 3, times 0.5 more from step 5.
    const expected: [number, number][] = [
      [0, 0.1],
      [2, 0.1],
      [3, 0.2],
      [4, 0.2],
      [5, 0.1],
      [100, 0.1],
    ];
    expectValues(piecewiseConstantSchedule(0.1, { 5: 0.5, 3: 2 }), expected);
    expectValues(
      piecewiseConstantSchedule(0.1, [
        [3, 2],
        [5, 0.5],
      ]),
      expected,
    );
    expectValues(piecewiseConstantSchedule(0.1), [[9, 0.1]]);
    // Optax's documented example: 1 with {100: 0.1, 200: 0.01}.
    expectValues(piecewiseConstantSchedule(1, { 100: 0.1, 200: 0.01 }), [
      [50, 1],
      [150, 0.1],
      [250, 0.001],
    ]);
  });

  test('piecewiseInterpolateSchedule: linear and cosine between the accumulated values', () => {
    // Optax's documented example: values 1, 0.1, 0.001 at steps 0, 4, 8.
    expectValues(piecewiseInterpolateSchedule('linear', 1, { 4: 0.1, 8: 0.01 }), [
      [0, 1],
      [2, 0.55],
      [4, 0.1],
      [6, 0.0505],
      [8, 0.001],
      [10, 0.001],
    ]);
    // Cosine from 1 to 0.5 over 4 steps: 0.5 + 0.25 * (1 + cos(pi t / 4)).
    expectValues(piecewiseInterpolateSchedule('cosine', 1, [[4, 0.5]]), [
      [0, 1],
      [1, 0.9267767], // 0.5 + 0.25 * 1.70710678
      [2, 0.75],
      [3, 0.5 + 0.5 * halfCosine(3 / 4)],
      [4, 0.5],
      [9, 0.5],
    ]);
  });

  test('cosineOnecycleSchedule: up to the peak at floor(pctStart * T), down to the floor at T', () => {
    // Defaults: pctStart 0.3 (peak at step 3 of 10), divFactor 25 (start 0.04), final 0.04 / 1e4.
    const [start, peak, last] = [0.04, 1, 4e-6];
    expectValues(cosineOnecycleSchedule(10, 1), [
      [0, start],
      [1, peak + (start - peak) * halfCosine(1 / 3)], // 1 - 0.96 * 0.75 = 0.28
      [3, peak],
      [8, last + (peak - last) * halfCosine(5 / 7)],
      [10, last],
      [20, last],
    ]);
  });

  test('joinSchedules: each schedule counts from its boundary, which takes the new schedule', () => {
    const schedule = joinSchedules(
      [constantSchedule(1), linearSchedule(2, 0, 4), (count: Tensor) => count.mul(10)],
      [2, 5],
    );
    expectValues(schedule, [
      [0, 1],
      [1, 1],
      [2, 2], // linear at its step 0
      [4, 1], // linear at its step 2
      [5, 0], // third schedule at its step 0 (an int32 result, returned as float32)
      [7, 20],
    ]);
    expectValues(joinSchedules([constantSchedule(3)], []), [[4, 3]]);
  });

  test('sgdrSchedule: warm restarts at the end of each cycle', () => {
    const schedule = sgdrSchedule([
      { initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 6 },
      { initValue: 0, peakValue: 0.5, warmupSteps: 1, decaySteps: 5, endValue: 0.1 },
    ]);
    expectValues(schedule, [
      [0, 0],
      [1, 0.5],
      [2, 1], // peak
      [4, 0.5], // decay step 2 of 4
      [5, halfCosine(3 / 4)], // the first cycle's last step: 0.14644661
      [6, 0], // restart: the second cycle's initValue
      [7, 0.5], // its peak
      [9, 0.3], // its decay step 2 of 4, alpha 0.2: 0.5 * (0.8 * 0.5 + 0.2)
      [11, 0.1], // its end
      [30, 0.1],
    ]);
  });
});

describe('schedules under jit', () => {
  const schedules: [string, TensorSchedule][] = [
    ['linear', linearSchedule(1, 0.2, 4, { transitionBegin: 3 })],
    ['polynomial', polynomialSchedule(2, 1, 2, 4)],
    ['cosine', cosineDecaySchedule(2, 8, { alpha: 0.25 })],
    ['warmupCosine', warmupCosineDecaySchedule(0.1, 1, 4, 12, { endValue: 0.2 })],
    ['exponential staircase', exponentialDecay(2, 4, 0.5, { transitionBegin: 2, staircase: true })],
    ['exponential endValue', exponentialDecay(2, 4, 0.5, { endValue: 0.75 })],
    ['piecewise', piecewiseConstantSchedule(0.1, { 3: 2, 5: 0.5 })],
    ['interpolate', piecewiseInterpolateSchedule('cosine', 1, { 4: 0.1, 8: 0.01 })],
    ['onecycle', cosineOnecycleSchedule(10, 1)],
    ['sgdr', sgdrSchedule([{ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 6 }])],
    ['warmupConstant', warmupConstantSchedule(0.5, 1, 2)],
  ];

  test.each(schedules)('%s: one trace, the eager values for counts 0..15', (_, schedule) => {
    const traced = debug.assertMaxTraces((count: Tensor) => schedule(count), 1);
    const compiled = jit(traced);
    for (let step = 0; step < 16; step++) {
      const eager = schedule(step).item();
      expect([step, compiled(int32(step)).item()]).toEqual([step, expect.closeTo(eager, 6)]);
    }
    expect(debug.getNumTraces(traced)).toBe(1);
  });
});

describe('schedules as learning rates', () => {
  /** The updates of `steps` steps with the fixed gradient 1, eagerly and under one filterJit. */
  function updates(optimiser: GradientTransformation, steps: number): [number[], number[]] {
    type P = { w: Tensor };
    const step = (params: P, state: unknown) => {
      const [u, next] = optimiser.update({ w: numpy.ones([1]) }, state, params);
      return [applyUpdates(params, u), next, u.w] as const;
    };
    const compiled = filterJit(debug.assertMaxTraces(step, 1));
    const init = { w: numpy.zeros([1]) };
    let eager: readonly [P, unknown] = [init, optimiser.init(init)];
    let jitted: readonly [P, unknown] = eager;
    const [fromEager, fromJit]: [number[], number[]] = [[], []];
    for (let i = 0; i < steps; i++) {
      const [p, s, u] = step(...eager);
      eager = [p, s];
      fromEager.push(u.item());
      const [pj, sj, uj] = compiled(...jitted);
      jitted = [pj, sj];
      fromJit.push(uj.item());
    }
    return [fromEager, fromJit];
  }

  test('sgd(linearSchedule): the k-th update is -lr(k) * g, counting from 0', () => {
    // lr: 1, 0.75, 0.5, 0.25, then 0.
    const [eager, jitted] = updates(sgd(linearSchedule(1, 0, 4)), 6);
    [-1, -0.75, -0.5, -0.25, 0, 0].forEach((v, i) => expect(eager[i]).toBeCloseTo(v, 7));
    expect(jitted).toEqual(eager);
  });

  test('sgd with momentum and a staircase decay: the trace is scaled by the step rate', () => {
    // lr 0.5^floor(k/2): 1, 1, 0.5, 0.5. Trace m = 1 + 0.5 m: 1, 1.5, 1.75, 1.875.
    // Updates -lr * m: -1, -1.5, -0.875, -0.9375.
    const [eager, jitted] = updates(
      sgd(exponentialDecay(1, 2, 0.5, { staircase: true }), { momentum: 0.5 }),
      4,
    );
    expect(eager).toEqual([-1, -1.5, -0.875, -0.9375]);
    expect(jitted).toEqual(eager);
  });

  test('sgd(warmupCosineDecaySchedule): warmup then decay', () => {
    // warmup 0 -> 1 over 2 steps, then 2 steps of cosine decay to 0: 0, 0.5, 1, 0.5, 0.
    const [eager] = updates(sgd(warmupCosineDecaySchedule(0, 1, 2, 4)), 5);
    [0, -0.5, -1, -0.5, 0].forEach((v, i) => expect(eager[i]).toBeCloseTo(v, 6));
  });
});

describe('schedules: bad arguments', () => {
  const refuses = (make: () => unknown, message: RegExp) => {
    expect(make).toThrow(TensorError);
    expect(make).toThrow(message);
  };

  test('steps must be non-negative integers (positive where Optax needs them positive)', () => {
    refuses(
      () => linearSchedule(1, 0, -1),
      /linearSchedule: `transitionSteps` must be a non-negative integer, found -1/,
    );
    refuses(
      () => linearSchedule(1, 0, 4, { transitionBegin: -2 }),
      /linearSchedule: `transitionBegin` must be a non-negative integer, found -2/,
    );
    refuses(
      () => polynomialSchedule(1, 0, 1, 2.5),
      /polynomialSchedule: `transitionSteps` must be a non-negative integer, found 2.5/,
    );
    refuses(
      () => cosineDecaySchedule(1, 0),
      /cosineDecaySchedule: `decaySteps` must be a positive integer, found 0/,
    );
    refuses(
      () => exponentialDecay(1, 0, 0.5),
      /exponentialDecay: `transitionSteps` must be a positive integer, found 0/,
    );
    refuses(
      () => warmupCosineDecaySchedule(0, 1, 10, 10),
      /warmupCosineDecaySchedule: `decaySteps` counts the whole schedule, warmup included, so it must exceed `warmupSteps`: found decaySteps 10 and warmupSteps 10/,
    );
    refuses(
      () => warmupConstantSchedule(0, 1, -3),
      /warmupConstantSchedule: `warmupSteps` must be a non-negative integer/,
    );
    refuses(
      () => cosineOnecycleSchedule(0, 1),
      /cosineOnecycleSchedule: `transitionSteps` must be a positive integer, found 0/,
    );
    refuses(
      () => linearSchedule(1, 0, 4)(1.5),
      /linearSchedule: the step count must be an integer/,
    );
  });

  test('values must be finite numbers; rates and factors positive', () => {
    refuses(
      () => linearSchedule(NaN, 0, 4),
      /linearSchedule: `initValue` must be a finite number, found NaN/,
    );
    refuses(
      () => constantSchedule(Infinity),
      /constantSchedule: `value` must be a finite number, found Infinity/,
    );
    refuses(
      () => cosineDecaySchedule(1, 4, { alpha: NaN }),
      /cosineDecaySchedule: `alpha` must be a finite number/,
    );
    refuses(
      () => warmupCosineDecaySchedule(0, 1, 1, 4, { endValue: -Infinity }),
      /warmupCosineDecaySchedule: `endValue` must be a finite number/,
    );
    refuses(
      () => exponentialDecay(1, 4, 0),
      /exponentialDecay: `decayRate` must be greater than 0, found 0/,
    );
    refuses(
      () => exponentialDecay(1, 4, 0.5, { endValue: NaN }),
      /exponentialDecay: `endValue` must be a finite number/,
    );
    refuses(
      () => cosineOnecycleSchedule(10, 1, { pctStart: 1 }),
      /cosineOnecycleSchedule: `pctStart` must be in \[0, 1\), found 1/,
    );
    refuses(
      () => cosineOnecycleSchedule(10, 1, { divFactor: 0 }),
      /cosineOnecycleSchedule: `divFactor` must be greater than 0/,
    );
  });

  test('piecewise boundaries: integers, strictly increasing; scales non-negative', () => {
    refuses(
      () =>
        piecewiseConstantSchedule(1, [
          [5, 0.5],
          [3, 0.5],
        ]),
      /piecewiseConstantSchedule: `boundariesAndScales` must strictly increase, found 5 then 3/,
    );
    refuses(
      () =>
        piecewiseConstantSchedule(1, [
          [3, 0.5],
          [3, 0.5],
        ]),
      /must strictly increase, found 3 then 3/,
    );
    refuses(
      () => piecewiseConstantSchedule(1, { 1.5: 0.5 }),
      /piecewiseConstantSchedule: `boundariesAndScales` keys must be non-negative integer steps, found '1.5'/,
    );
    refuses(
      () => piecewiseConstantSchedule(1, { [-1]: 0.5 }),
      /keys must be non-negative integer steps, found '-1'/,
    );
    refuses(
      () => piecewiseConstantSchedule(1, { 4: -0.5 }),
      /piecewiseConstantSchedule: scales must be non-negative, found -0.5 at step 4/,
    );
    refuses(
      () => piecewiseConstantSchedule(1, [[4, 0.5, 1] as unknown as [number, number]]),
      /`boundariesAndScales\[0\]` must be a \[step, scale\] pair/,
    );
    refuses(
      () => piecewiseInterpolateSchedule('quadratic' as 'linear', 1),
      /piecewiseInterpolateSchedule: `interpolateType` must be 'linear' or 'cosine', found quadratic/,
    );
  });

  test('joinSchedules and sgdrSchedule', () => {
    refuses(
      () => joinSchedules([constantSchedule(1), constantSchedule(2)], []),
      /joinSchedules: needs one boundary fewer than schedules: 2 schedules and 0 boundaries/,
    );
    refuses(
      () => joinSchedules([constantSchedule(1)], [3]),
      /needs one boundary fewer than schedules: 1 schedules and 1 boundaries/,
    );
    refuses(
      () => joinSchedules([constantSchedule(1), constantSchedule(2), constantSchedule(3)], [4, 4]),
      /joinSchedules: `boundaries` must strictly increase, found 4 then 4/,
    );
    refuses(
      () => joinSchedules([constantSchedule(1), 0.5 as never], [4]),
      /joinSchedules: `schedules\[1\]` must be a schedule/,
    );
    refuses(() => joinSchedules([], []), /joinSchedules: `schedules` must be a non-empty array/);
    refuses(() => sgdrSchedule([]), /sgdrSchedule: `cosineKwargs` must be a non-empty array/);
    refuses(
      () =>
        sgdrSchedule([
          { initValue: 0, peakValue: 1, warmupSteps: 1, decaySteps: 4 },
          { initValue: 0, peakValue: 1, warmupSteps: 4, decaySteps: 4 },
        ]),
      /sgdrSchedule \(cycle 1\): `decaySteps` counts the whole schedule, warmup included/,
    );
    refuses(
      () => sgdrSchedule([{ initValue: 0, peakValue: 1, warmupSteps: 1, decaySteps: 0 }]),
      /sgdrSchedule: `cosineKwargs\[0\].decaySteps` must be a positive integer, found 0/,
    );
  });
});
