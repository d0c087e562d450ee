/**
 * The bad-input table for `nn`: every layer's constructor given a bad size or option, and its `call`
 * given an input of the wrong shape and a non-tensor. Each message names the layer, the argument and
 * what was expected versus found.
 */
import { jnp, nn, random } from '../../src/index.js';
import type { BadCase } from './jnp-table.js';
import { loose } from './expect-bad-input.js';

const key = random.key(0);
const x = (...shape: number[]) => jnp.ones(shape);

/** The two call cases of a layer that takes one example `x`: a wrong shape, and a plain array. */
function callCases(
  op: string,
  call: (input: never) => unknown,
  wrong: number[],
  mentions: string[] = [],
): BadCase[] {
  return [
    {
      what: `call with x of shape [${wrong.join(', ')}]`,
      run: () => call(loose(x(...wrong))),
      op,
      mentions: [`float32[${wrong.join(', ')}]`, ...mentions],
    },
    {
      what: 'call with a plain array',
      run: () => call(loose([1, 2, 3])),
      op,
      mentions: ['Tensor', 'Array'],
    },
  ];
}

/** A constructor given a size that is not a positive integer. */
const badSize = (op: string, argument: string, make: () => unknown, found: string): BadCase => ({
  what: `${argument} that is not a positive integer`,
  run: make,
  op,
  mentions: [argument, found],
});

/** A constructor whose parameters need a key, given options without one, and no options at all. */
const noKey = (op: string, make: (options: never) => unknown): BadCase[] => [
  {
    what: 'options without a key',
    run: () => make(loose({ useBias: true })),
    op,
    mentions: ['option key', 'random.key', 'undefined'],
  },
  {
    what: 'no options',
    run: () => make(loose(undefined)),
    op,
    mentions: ['argument options', 'random.key', 'undefined'],
  },
];

const conv = (n: 1 | 2 | 3) => [nn.Conv1d, nn.Conv2d, nn.Conv3d][n - 1]!;
const convT = (n: 1 | 2 | 3) =>
  [nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d][n - 1]!;
const spatial = (n: number, size: number) => new Array<number>(n).fill(size);

/** Cases for Conv{n}d and ConvTranspose{n}d. */
function convCases(name: string, n: 1 | 2 | 3, transpose: boolean): BadCase[] {
  const Layer = transpose ? convT(n) : conv(n);
  const layer = () => new Layer(2, 3, 1, { key });
  return [
    badSize(name, 'inChannels', () => new Layer(0, 3, 1, { key }), '0'),
    {
      what: 'a string kernel size',
      run: () => new Layer(2, 3, loose('3'), { key }),
      op: name,
      mentions: ['kernelSize', '"3"'],
    },
    ...callCases(name, (input) => layer().call(input), [5, ...spatial(n, 4)], ['inChannels']),
  ];
}

/** Cases for the pools: a bad kernel size, and an input of the wrong rank. */
function poolCases(name: string, Pool: new (k: never) => { call(x: never): unknown }, n: number) {
  return [
    {
      what: 'a negative kernel size',
      run: () => new Pool(loose(-1)),
      op: name,
      mentions: ['kernelSize', '-1'],
    },
    ...callCases(name, (input) => new Pool(loose(1)).call(input), spatial(n, 4)),
  ] as BadCase[];
}

/** Cases for the adaptive pools: a bad target, and an input of the wrong rank. */
function adaptiveCases(
  name: string,
  Pool: new (t: never) => { call(x: never): unknown },
  n: number,
) {
  return [
    {
      what: 'a zero target size',
      run: () => new Pool(loose(0)),
      op: name,
      mentions: ['targetShape', '0'],
    },
    ...callCases(name, (input) => new Pool(loose(2)).call(input), spatial(n, 4)),
  ] as BadCase[];
}

export const NN_TABLE: Record<string, BadCase[]> = {
  Linear: [
    badSize('Linear', 'inFeatures', () => new nn.Linear(loose('3'), 2, { key }), '3'),
    ...noKey('Linear', (options) => new nn.Linear(3, 2, options)),
    ...callCases('Linear', (input) => new nn.Linear(3, 2, { key }).call(input), [4]),
  ],
  MLP: [
    ...noKey('MLP', (options) => new nn.MLP(2, 1, 8, 1, options)),
    {
      what: 'a negative depth',
      run: () => new nn.MLP(2, 1, 8, -1, { key }),
      op: 'MLP',
      mentions: ['depth', '-1'],
    },
    ...callCases('Linear', (input) => new nn.MLP(2, 1, 8, 1, { key }).call(input), [3]),
  ],
  Sequential: [
    {
      what: 'layers that are not a list',
      run: () => new nn.Sequential(loose('x')),
      op: 'Sequential',
      mentions: ['layers', 'string'],
    },
  ],
  Lambda: [
    {
      what: 'a non-function',
      run: () => new nn.Lambda(loose(3)),
      op: 'Lambda',
      mentions: ['fn', 'number'],
    },
  ],
  Conv1d: convCases('Conv1d', 1, false),
  Conv2d: convCases('Conv2d', 2, false),
  Conv3d: convCases('Conv3d', 3, false),
  Conv: [
    ...noKey('Conv2d', (options) => new nn.Conv2d(1, 1, 3, options)),
    {
      what: 'zero spatial dimensions',
      run: () => new nn.Conv(0, 1, 1, 1, { key }),
      op: 'Conv',
      mentions: ['numSpatialDims', '0'],
    },
  ],
  ConvTranspose1d: convCases('ConvTranspose1d', 1, true),
  ConvTranspose2d: convCases('ConvTranspose2d', 2, true),
  ConvTranspose3d: convCases('ConvTranspose3d', 3, true),
  ConvTranspose: [
    ...noKey('ConvTranspose1d', (options) => new nn.ConvTranspose1d(1, 1, 3, options)),
    {
      what: 'zero spatial dimensions',
      run: () => new nn.ConvTranspose(0, 1, 1, 1, { key }),
      op: 'ConvTranspose',
      mentions: ['numSpatialDims', '0'],
    },
  ],
  AvgPool1d: poolCases('AvgPool1d', nn.AvgPool1d, 1),
  AvgPool2d: poolCases('AvgPool2d', nn.AvgPool2d, 2),
  AvgPool3d: poolCases('AvgPool3d', nn.AvgPool3d, 3),
  MaxPool1d: poolCases('MaxPool1d', nn.MaxPool1d, 1),
  MaxPool2d: poolCases('MaxPool2d', nn.MaxPool2d, 2),
  MaxPool3d: poolCases('MaxPool3d', nn.MaxPool3d, 3),
  Pool: [
    {
      what: 'zero spatial dimensions',
      run: () => new nn.Pool('max', 0, 1),
      op: 'Pool',
      mentions: ['numSpatialDims', '0'],
    },
  ],
  AdaptiveAvgPool1d: adaptiveCases('AdaptiveAvgPool1d', nn.AdaptiveAvgPool1d, 1),
  AdaptiveAvgPool2d: adaptiveCases('AdaptiveAvgPool2d', nn.AdaptiveAvgPool2d, 2),
  AdaptiveAvgPool3d: adaptiveCases('AdaptiveAvgPool3d', nn.AdaptiveAvgPool3d, 3),
  AdaptiveMaxPool1d: adaptiveCases('AdaptiveMaxPool1d', nn.AdaptiveMaxPool1d, 1),
  AdaptiveMaxPool2d: adaptiveCases('AdaptiveMaxPool2d', nn.AdaptiveMaxPool2d, 2),
  AdaptiveMaxPool3d: adaptiveCases('AdaptiveMaxPool3d', nn.AdaptiveMaxPool3d, 3),
  AdaptivePool: [
    {
      what: 'zero spatial dimensions',
      run: () => new nn.AdaptivePool(1, 0, loose(jnp.max)),
      op: 'AdaptivePool',
      mentions: ['numSpatialDims', '0'],
    },
  ],
  Dropout: [
    { what: 'p above 1', run: () => new nn.Dropout(2), op: 'Dropout', mentions: ['p', '2'] },
    {
      what: 'no key in training',
      run: () => new nn.Dropout(0.5).call(x(3)),
      op: 'Dropout',
      mentions: ['key'],
    },
  ],
  Embedding: [
    badSize('Embedding', 'numEmbeddings', () => new nn.Embedding(-1, 2, { key }), '-1'),
    {
      what: 'a float index',
      run: () => new nn.Embedding(4, 2, { key }).call(x(2)),
      op: 'Embedding',
      mentions: ['int32', 'float32[2]'],
    },
  ],
  LayerNorm: [
    {
      what: 'a negative shape',
      run: () => new nn.LayerNorm([-1]),
      op: 'LayerNorm',
      mentions: ['shape', '-1'],
    },
    ...callCases('LayerNorm', (input) => new nn.LayerNorm([3]).call(input), [4]),
  ],
  RMSNorm: [
    {
      what: 'a negative shape',
      run: () => new nn.RMSNorm([-1]),
      op: 'RMSNorm',
      mentions: ['shape', '-1'],
    },
    ...callCases('RMSNorm', (input) => new nn.RMSNorm([3]).call(input), [4]),
  ],
  GroupNorm: [
    {
      what: 'channels not divisible by groups',
      run: () => new nn.GroupNorm(2, 3),
      op: 'GroupNorm',
      mentions: ['3', '2'],
    },
    ...callCases('GroupNorm', (input) => new nn.GroupNorm(2, 4).call(input), [3, 5]),
  ],
  BatchNorm: [badSize('BatchNorm', 'inputSize', () => new nn.BatchNorm(0, 'batch'), '0')],
  PReLU: [
    {
      what: 'a string initial slope',
      run: () => new nn.PReLU({ initAlpha: loose('x') }),
      op: 'PReLU',
      mentions: ['initAlpha', 'string'],
    },
  ],
  GRUCell: [
    ...noKey('GRUCell', (options) => new nn.GRUCell(2, 3, options)),
    badSize('GRUCell', 'hiddenSize', () => new nn.GRUCell(2, 0, { key }), '0'),
    {
      what: 'a hidden state of the wrong shape',
      run: () => new nn.GRUCell(2, 3, { key }).call(x(2), x(4)),
      op: 'GRUCell',
      mentions: ['float32[4]'],
    },
  ],
  LSTMCell: [
    ...noKey('LSTMCell', (options) => new nn.LSTMCell(2, 3, options)),
    badSize('LSTMCell', 'hiddenSize', () => new nn.LSTMCell(2, 0, { key }), '0'),
    {
      what: 'an input of the wrong shape',
      run: () => new nn.LSTMCell(2, 3, { key }).call(x(5), [x(3), x(3)]),
      op: 'LSTMCell',
      mentions: ['float32[5]'],
    },
  ],
  MultiheadAttention: [
    ...noKey('MultiheadAttention', (options) => new nn.MultiheadAttention(2, 4, options)),
    {
      what: 'zero heads',
      run: () => new nn.MultiheadAttention(0, 4, { key }),
      op: 'MultiheadAttention',
      mentions: ['numHeads', '0'],
    },
    {
      what: 'a query of the wrong size',
      run: () => new nn.MultiheadAttention(2, 4, { key }).call(x(3, 5), x(3, 4), x(3, 4)),
      op: 'MultiheadAttention',
      mentions: ['query', 'float32[3, 5]'],
    },
  ],
  RotaryPositionalEmbedding: [
    {
      what: 'an odd embedding size',
      run: () => new nn.RotaryPositionalEmbedding(3),
      op: 'RotaryPositionalEmbedding',
      mentions: ['embeddingSize', '3'],
    },
    ...callCases(
      'RotaryPositionalEmbedding',
      (input) => new nn.RotaryPositionalEmbedding(4).call(input),
      [3, 6],
    ),
  ],
  Shared: [
    {
      what: 'a non-function where',
      run: () => new nn.Shared({ a: x(2), b: x(2) }, loose('a'), (t) => t.b),
      op: 'Shared',
      mentions: ['where', 'string'],
    },
  ],
  SpectralNorm: [
    {
      what: 'a weight name the layer lacks',
      run: () => new nn.SpectralNorm(new nn.Linear(2, 2, { key }), 'kernel', { key }),
      op: 'SpectralNorm',
      mentions: ['kernel'],
    },
  ],
  WeightNorm: [
    {
      what: 'a weight name the layer lacks',
      run: () => new nn.WeightNorm(new nn.Linear(2, 2, { key }), { weightName: 'kernel' }),
      op: 'WeightNorm',
      mentions: ['kernel'],
    },
  ],
};
