/**
 * The bad-input table for `optim`: optimisers and transformations given bad hyperparameters, schedules
 * given bad arguments, losses given non-tensors and shapes that differ, and an update whose tree or
 * shapes do not match the parameters. NaN in gradients is a defined result: it propagates (Optax too).
 */
import { applyUpdates, jnp, optim } from '../../src/index.js';
import type { BadCase } from './jnp-table.js';
import { loose, values } from './expect-bad-input.js';

/** Optimisers whose first argument is the learning rate. */
export const OPTIMISERS = [
  'sgd',
  'adam',
  'adamw',
  'adamax',
  'amsgrad',
  'nadam',
  'nadamw',
  'radam',
  'rmsprop',
  'adagrad',
  'adadelta',
  'adafactor',
  'lamb',
  'lars',
  'lion',
] as const;

/** Transformations taking an options object, each with an option value it refuses. */
export const SCALE_BY: Record<string, [string, unknown]> = {
  scaleByAdam: ['b1', 2],
  scaleByAdamax: ['b1', 2],
  scaleByAmsgrad: ['b1', 2],
  scaleByRadam: ['b1', 2],
  scaleByLion: ['b1', 2],
  scaleByRms: ['decay', 2],
  scaleByStddev: ['decay', 2],
  scaleByRss: ['initialAccumulatorValue', -1],
  scaleByAdadelta: ['rho', 2],
  scaleByFactoredRms: ['decayRate', 'x'],
  scaleByTrustRatio: ['minNorm', -1],
  trace: ['decay', 'x'],
};

/** Transformations whose first argument is one number, each with a value it refuses. */
export const NUMERIC_FIRST: Record<string, [string, unknown]> = {
  addDecayedWeights: ['weightDecay', 'x'],
  scale: ['step', NaN],
  scaleByLearningRate: ['learningRate', Infinity],
  ema: ['decay', 2],
  clip: ['maxDelta', -1],
  clipByBlockRms: ['threshold', 0],
  clipByGlobalNorm: ['maxNorm', NaN],
  adaptiveGradClip: ['clipping', -1],
};

/** Schedules, with a bad call and the argument its message must name. */
const SCHEDULES: Record<string, [() => unknown, string]> = {
  constantSchedule: [() => optim.constantSchedule(NaN), 'value'],
  cosineDecaySchedule: [() => optim.cosineDecaySchedule(1, 0), 'decaySteps'],
  cosineOnecycleSchedule: [() => optim.cosineOnecycleSchedule(-1, 1), 'transitionSteps'],
  exponentialDecay: [() => optim.exponentialDecay(1, loose('x'), 0.5), 'transitionSteps'],
  joinSchedules: [() => optim.joinSchedules([], []), 'schedules'],
  linearSchedule: [() => optim.linearSchedule(1, 0, -5), 'transitionSteps'],
  piecewiseConstantSchedule: [() => optim.piecewiseConstantSchedule(loose('1')), 'initValue'],
  piecewiseInterpolateSchedule: [
    () => optim.piecewiseInterpolateSchedule(loose('cubic'), 1),
    'interpolateType',
  ],
  polynomialSchedule: [() => optim.polynomialSchedule(1, 0, loose('x'), 10), 'power'],
  scaleBySchedule: [() => optim.scaleBySchedule(loose(0.1)), 'schedule'],
  sgdrSchedule: [() => optim.sgdrSchedule([]), 'cosineKwargs'],
  warmupConstantSchedule: [() => optim.warmupConstantSchedule(0, 1, -1), 'warmupSteps'],
  warmupCosineDecaySchedule: [() => optim.warmupCosineDecaySchedule(0, 1, 1, -1), 'decaySteps'],
};

/** Losses on (predictions, targets) of one shape. */
const SAME_SHAPE_LOSSES = [
  'l2Loss',
  'squaredError',
  'huberLoss',
  'cosineSimilarity',
  'cosineDistance',
];
/** Losses on (logits, labels). */
const LOGIT_LOSSES = [
  'sigmoidBinaryCrossEntropy',
  'softmaxCrossEntropy',
  'softmaxCrossEntropyWithIntegerLabels',
];

const call = (name: string, ...args: unknown[]) =>
  (optim as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
const transformation = () => optim.sgd(0.1);
const params = () => ({ w: jnp.ones([2]) });

export const OPTIM_TABLE: Record<string, BadCase[]> = {
  ...Object.fromEntries(
    OPTIMISERS.map((name) => [
      name,
      [
        {
          what: 'a string learning rate',
          run: () => call(name, 'x'),
          op: name,
          mentions: ['learningRate', 'x'],
        },
        {
          what: 'a NaN learning rate',
          run: () => call(name, NaN),
          op: name,
          mentions: ['learningRate', 'NaN'],
        },
      ],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(SCALE_BY).map(([name, [option, value]]) => [
      name,
      [
        {
          what: `${option}: ${String(value)}`,
          run: () => call(name, { [option]: value }),
          op: name,
          mentions: [option, String(value)],
        },
      ],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(NUMERIC_FIRST).map(([name, [argument, value]]) => [
      name,
      [
        {
          what: `${argument}: ${String(value)}`,
          run: () => call(name, value),
          op: name,
          mentions: [argument, String(value)],
        },
      ],
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(SCHEDULES).map(([name, [run, argument]]) => [
      name,
      [{ what: `a bad ${argument}`, run, op: name, mentions: [argument] }],
    ]),
  ),
  ...Object.fromEntries(
    SAME_SHAPE_LOSSES.map((name) => [
      name,
      [
        {
          what: 'a non-tensor',
          run: () => call(name, 'x', jnp.ones([2])),
          op: name,
          mentions: ['predictions', 'string'],
        },
        {
          what: 'shapes that differ',
          run: () => call(name, jnp.ones([2, 3]), jnp.ones([4, 5])),
          op: name,
          mentions: ['[2, 3]', '[4, 5]'],
        },
        {
          what: 'NaN propagates',
          run: () => call(name, jnp.array([NaN, 1]), jnp.array([1, 1])),
          check: (t: never) => expect(values(t).some(Number.isNaN)).toBe(true),
        },
      ],
    ]),
  ),
  ...Object.fromEntries(
    LOGIT_LOSSES.map((name) => [
      name,
      [
        {
          what: 'a non-tensor',
          run: () => call(name, 3, jnp.ones([2])),
          op: name,
          mentions: ['logits', 'number'],
        },
        {
          what: 'labels that do not fit',
          run: () => call(name, jnp.ones([2, 3]), jnp.ones([4, 5])),
          op: name,
          mentions: ['labels', '[4, 5]'],
        },
      ],
    ]),
  ),
  chain: [
    {
      what: 'a non-transformation',
      run: () => optim.chain(loose('sgd')),
      op: 'chain',
      mentions: ['argument 0', 'GradientTransformation'],
    },
  ],
  masked: [
    {
      what: 'a non-transformation',
      run: () => optim.masked(loose('x'), { w: true }),
      op: 'masked',
      mentions: ['inner', 'string'],
    },
    {
      what: 'a mask of another structure',
      run: () => {
        const m = optim.masked(transformation(), loose({ v: true }));
        return m.init(params());
      },
      op: 'masked',
      mentions: ['mask'],
    },
  ],
  applyIfFinite: [
    {
      what: 'a non-transformation',
      run: () => optim.applyIfFinite(loose(1), 1),
      op: 'applyIfFinite',
      mentions: ['inner', 'GradientTransformation'],
    },
  ],
  injectHyperparams: [
    {
      what: 'a non-function factory',
      run: () => optim.injectHyperparams(loose('adam')),
      op: 'injectHyperparams',
      mentions: ['innerFactory', 'adam'],
    },
  ],
  multiTransform: [
    {
      what: 'a non-object of transforms',
      run: () => optim.multiTransform(loose('x'), {}),
      op: 'multiTransform',
      mentions: ['transforms', 'x'],
    },
  ],
  partition: [
    {
      what: 'a non-transformation entry',
      run: () => optim.partition(loose({ a: 1 }), {}),
      op: 'partition',
      mentions: ['transforms.a', 'GradientTransformation'],
    },
  ],
  MultiSteps: [
    {
      what: 'a non-transformation',
      run: () => new optim.MultiSteps(loose('sgd'), 2),
      op: 'MultiSteps',
      mentions: ['opt', 'GradientTransformation'],
    },
  ],
  skipNotFinite: [
    {
      what: 'a non-tensor leaf',
      run: () => optim.skipNotFinite({ w: 'x' }),
      op: 'skipNotFinite',
      mentions: ['updates.w', 'string'],
    },
    {
      what: 'NaN is skipped',
      run: () => optim.skipNotFinite({ w: jnp.array([NaN]) })[0],
      check: (t: never) => expect(values(t)).toEqual([1]),
    },
  ],
  skipLargeUpdates: [
    {
      what: 'a non-tensor leaf',
      run: () => optim.skipLargeUpdates({ w: 1 }, jnp.array(0), null, 1),
      op: 'skipLargeUpdates',
      mentions: ['updates.w', 'number'],
    },
  ],
  globalNorm: [
    {
      what: 'a non-tensor leaf',
      run: () => optim.globalNorm({ w: 'x' }),
      op: 'globalNorm',
      mentions: ['string', 'expected a tensor'],
    },
    {
      what: 'the norm of nothing is 0',
      run: () => optim.globalNorm({}),
      check: (t: never) => expect(values(t)).toEqual([0]),
    },
  ],
  applyUpdates: [
    {
      what: 'a tree of another structure',
      run: () => applyUpdates(params(), loose({ v: jnp.ones([2]) })),
      op: 'applyUpdates',
      mentions: ['argument updates', 'argument model', 'structure', '{v}', '{w}'],
    },
    {
      what: 'an update of another shape',
      run: () => applyUpdates(params(), { w: jnp.ones([3]) }),
      op: 'applyUpdates',
      mentions: ['updates.w', 'expected a tensor of shape [2]', 'found a tensor of float32[3]'],
    },
    {
      what: 'an update that would broadcast the parameter to another shape',
      run: () => applyUpdates(params(), { w: jnp.ones([2, 2]) }),
      op: 'applyUpdates',
      mentions: ['updates.w', '[2]', 'float32[2, 2]'],
    },
    {
      what: 'a string update',
      run: () => applyUpdates(params(), loose({ w: 'x' })),
      op: 'applyUpdates',
      mentions: ['updates.w', 'the string "x"'],
    },
  ],
  // An update step whose gradients do not match the parameters.
  update: [
    {
      what: 'gradients of another structure',
      run: () => {
        const o = optim.adam(1e-3);
        return o.update(loose({ v: jnp.ones([2]) }), o.init(params()), params());
      },
      op: 'update',
      mentions: ['structure of the params', 'the updates have object with keys {v}', '{w}'],
    },
  ],
};
