// Every adaptive optimiser: compiled steps equal eager ones, learning rates may be schedules, and bad
// hyperparameters are refused with messages that name them.
import { type Tensor, TensorError, filterJit, numpy } from '@equinox-ts/autodiff';
import {
  type GradientTransformation,
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  nadam,
  radam,
  rmsprop,
  scaleByAdam,
  scaleByAdadelta,
  scaleByAmsgrad,
  scaleByRms,
  scaleByRss,
  scaleByStddev,
} from '../src/index.js';
import { expectPathsClose, optimiserPath } from './helpers/adaptive-reference.js';

type Factory = (learningRate: number | ((count: Tensor) => Tensor)) => GradientTransformation;
const OPTIMISERS: [string, Factory][] = [
  ['adam', (lr) => adam(lr)],
  ['nadam', (lr) => nadam(lr)],
  ['adamw', (lr) => adamw(lr, { weightDecay: 0.1, mask: { w: true, b: false } })],
  ['amsgrad', (lr) => amsgrad(lr, { b2: 0.5 })],
  ['adamax', (lr) => adamax(lr)],
  // b2 = 0.9 crosses the threshold at step 6, inside the 7 steps run below.
  ['radam', (lr) => radam(lr, { b2: 0.9 })],
  ['rmsprop', (lr) => rmsprop(lr)],
  [
    'rmsprop centered, Nesterov',
    (lr) => rmsprop(lr, { centered: true, momentum: 0.9, nesterov: true }),
  ],
  ['adagrad', (lr) => adagrad(lr)],
  ['adadelta', (lr) => adadelta(lr, { weightDecay: 0.1 })],
];

describe('adaptive optimisers', () => {
  test.each(OPTIMISERS)('%s: filterJit steps equal eager steps', (_name, make) => {
    const eager = optimiserPath(make(0.05), 7);
    const compiled = optimiserPath(make(0.05), 7, (step) => filterJit(step));
    expectPathsClose(compiled, eager, 6);
  });

  // Fixed gradients, so the adaptive direction does not depend on the learning rate: with a schedule
  // each update is schedule(count) times the update at learning rate 1 (count 0 on the first step).
  const GRADS = [
    [1, -2],
    [0.5, 3],
    [-1, 1],
    [2, 0.25],
  ];
  const schedule = (count: Tensor) => numpy.array(0.5).div(count.add(1)); // 0.5, 0.25, 0.1667, 0.125
  test.each(OPTIMISERS.filter(([name]) => !name.includes('Nesterov')))(
    '%s: a learning-rate schedule scales each step by its value at that step',
    (_name, make) => {
      const run = (optimiser: GradientTransformation) => {
        const params = { w: numpy.array([1, -1]), b: numpy.array([0.5]) };
        let state = optimiser.init(params);
        return GRADS.map((g) => {
          const [updates, next] = optimiser.update(
            { w: numpy.array(g), b: numpy.array([g[0]!]) },
            state,
            params,
          );
          state = next;
          return updates.w.tolist() as number[];
        });
      };
      const unit = run(make(1));
      run(make(schedule)).forEach((row, t) =>
        row.forEach((u, i) => expect(u).toBeCloseTo((0.5 / (t + 1)) * unit[t]![i]!, 5)),
      );
    },
  );

  test('bad hyperparameters are refused, naming the argument, the range and the value', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => adam(0.1, { b1: 1 }), /scaleByAdam: `b1` must be a number in \[0, 1\), found 1/],
      [() => adam(0.1, { b2: -0.5 }), /scaleByAdam: `b2` must be a number in \[0, 1\), found -0.5/],
      [
        () => adam(0.1, { eps: -1e-8 }),
        /scaleByAdam: `eps` must be a finite number >= 0, found -1e-8/,
      ],
      [() => scaleByAdam({ epsRoot: NaN }), /scaleByAdam: `epsRoot` must be a finite number >= 0/],
      [
        () => adam(NaN),
        /adam: `learningRate` must be a finite number, a scalar tensor or a schedule/,
      ],
      [
        () => adamw(0.1, { weightDecay: NaN }),
        /adamw: `weightDecay` must be a finite number, found NaN/,
      ],
      [() => nadam('0.1' as unknown as number), /nadam: `learningRate` must be/],
      [() => amsgrad(0.1, { b1: 1.5 }), /scaleByAmsgrad: `b1` must be a number in \[0, 1\)/],
      [() => scaleByAmsgrad({ eps: -1 }), /scaleByAmsgrad: `eps` must be a finite number >= 0/],
      [() => adamax(0.1, { b2: 1 }), /scaleByAdamax: `b2` must be a number in \[0, 1\), found 1/],
      [() => radam(0.1, { threshold: NaN }), /scaleByRadam: `threshold` must be a finite number/],
      [() => radam(0.1, { b1: -0.1 }), /scaleByRadam: `b1` must be a number in \[0, 1\)/],
      [
        () => rmsprop(0.1, { decay: 1.5 }),
        /scaleByRms: `decay` must be a number in \[0, 1\], found 1.5/,
      ],
      [
        () => rmsprop(0.1, { centered: true, eps: -1 }),
        /scaleByStddev: `eps` must be a finite number >= 0/,
      ],
      [
        () => scaleByRms({ initialScale: -1 }),
        /scaleByRms: `initialScale` must be a finite number >= 0/,
      ],
      [() => scaleByStddev({ decay: 2 }), /scaleByStddev: `decay` must be a number in \[0, 1\]/],
      [() => rmsprop(0.1, { momentum: Infinity }), /rmsprop: `momentum` must be a finite number/],
      [
        () => adagrad(0.1, { initialAccumulatorValue: -0.1 }),
        /scaleByRss: `initialAccumulatorValue` must be a finite number >= 0/,
      ],
      [() => scaleByRss({ eps: -1 }), /scaleByRss: `eps` must be a finite number >= 0/],
      [
        () => adadelta(1, { rho: 2 }),
        /scaleByAdadelta: `rho` must be a number in \[0, 1\], found 2/,
      ],
      [() => scaleByAdadelta({ eps: -1 }), /scaleByAdadelta: `eps` must be a finite number >= 0/],
      [() => adadelta(1, { weightDecay: NaN }), /adadelta: `weightDecay` must be a finite number/],
    ];
    cases.forEach(([make, message]) => {
      expect(make).toThrow(TensorError);
      expect(make).toThrow(message);
    });
  });

  test('non-tensor leaves in the params are refused with their path', () => {
    const params = { w: numpy.ones([2]), activation: 'tanh' };
    expect(() => adam(0.1).init(params)).toThrow(
      /scaleByAdam: params\.activation is string, expected a tensor/,
    );
    expect(() => rmsprop(0.1).init(params)).toThrow(/scaleByRms: params\.activation is string/);
    expect(() => adagrad(0.1).init(params)).toThrow(/scaleByRss: params\.activation is string/);
  });
});
