/**
 * The bad-input table for jnp's non-elementwise functions: creation, conversion, reductions, shape
 * manipulation, joining, indexing, sorting and linear algebra. Each function maps to its cases: an
 * error case names the operation and what the message must mention; a defined case (NaN, infinities,
 * empty tensors, where NumPy gives a result) checks that result against a value worked out by hand.
 */
import { jnp, type Tensor } from '../../src/index.js';
import { loose, values } from './expect-bad-input.js';

/** One bad input: either a clear error, or a defined result checked by `check`. */
export type BadCase =
  | {
      what: string;
      run: () => unknown;
      op: string;
      mentions?: readonly string[];
      /** Bytes that do not hold a valid file: the serialisers throw a plain Error (documented). */
      corruptData?: true;
    }
  | { what: string; run: () => unknown; check: (result: never) => void };

const x23 = () => jnp.ones([2, 3]);
const empty = () => jnp.zeros([0]);
const ints = (list: number[]) => jnp.array(list, { dtype: 'int32' });
const shapeOf = (expected: number[]) => (t: Tensor) => expect(t.shape).toEqual(expected);
const valuesOf = (expected: number[]) => (t: Tensor) => expect(values(t)).toEqual(expected);

/** A non-tensor first argument, named by `op` (the function itself). */
const notATensor = (op: string, run: (bad: never) => unknown): BadCase => ({
  what: 'a non-tensor argument',
  run: () => run(loose({ a: 1 })),
  op,
  mentions: ['found an object'],
});

/** An axis out of range for a [2, 3] tensor. */
const badAxis = (op: string, run: (axis: number) => unknown): BadCase => ({
  what: 'an axis out of range',
  run: () => run(5),
  op,
  mentions: ['axis', '5', 'rank 2'],
});

/** Reductions: non-tensor, bad axis, axis of the wrong type, NaN propagation and the empty result. */
function reductionCases(
  op: string,
  f: (x: Tensor, o?: never) => Tensor,
  onNaN: number,
  onEmpty: number | 'error',
): BadCase[] {
  return [
    notATensor(op, (bad) => f(bad)),
    badAxis(op, (axis) => f(x23(), loose({ axis }))),
    {
      what: 'an axis that is not an integer',
      run: () => f(x23(), loose({ axis: 'rows' })),
      op,
      mentions: ['axis', '"rows"'],
    },
    {
      what: 'NaN among the values',
      run: () => f(jnp.array([1, NaN, 3])),
      check: (t: Tensor) => expect(values(t)).toEqual([onNaN]),
    },
    onEmpty === 'error'
      ? {
          what: 'an empty tensor (no identity)',
          run: () => f(empty()),
          op,
          mentions: ['float32[0]'],
        }
      : { what: 'an empty tensor', run: () => f(empty()), check: valuesOf([onEmpty]) },
  ];
}

/** Shape-taking creation functions: negative, fractional and non-list shapes. */
function creationCases(op: string, f: (shape: never) => Tensor): BadCase[] {
  return [
    { what: 'a negative dimension', run: () => f(loose([2, -1])), op, mentions: ['-1'] },
    { what: 'a fractional dimension', run: () => f(loose([1.5])), op, mentions: ['1.5'] },
    { what: 'a tensor as shape', run: () => f(loose(x23())), op, mentions: ['tensor'] },
    { what: 'a zero dimension', run: () => f(loose([0, 3])), check: shapeOf([0, 3]) },
  ];
}

export const JNP_TABLE: Record<string, BadCase[]> = {
  // Conversion.
  array: [
    {
      what: 'a ragged list',
      run: () => jnp.array([[1, 2], [3]]),
      op: 'array',
      mentions: ['expected 2 entries', 'found 1'],
    },
    { what: 'a string', run: () => jnp.array(loose('x')), op: 'array', mentions: ['"x"'] },
    {
      what: 'a shape that does not hold the data',
      run: () => jnp.array(new Float32Array(3), { shape: [2, 2] }),
      op: 'array',
      mentions: ['[2, 2]', '4', '3'],
    },
    {
      what: 'NaN and infinities',
      run: () => jnp.array([NaN, -Infinity]),
      check: valuesOf([NaN, -Infinity]),
    },
    { what: 'an empty list', run: () => jnp.array([]), check: shapeOf([0]) },
  ],
  asarray: [notATensor('asarray', (bad) => jnp.asarray(bad))],
  astype: [
    notATensor('astype', (bad) => jnp.astype(bad, 'int32')),
    {
      what: 'an unknown dtype',
      run: () => jnp.astype(x23(), loose('float64')),
      op: 'astype',
      mentions: ['dtype', '"float64"'],
    },
    {
      what: 'NaN to bool is true',
      run: () => jnp.astype(jnp.array([NaN, 0]), 'bool'),
      check: valuesOf([1, 0]),
    },
  ],
  // Creation.
  zeros: creationCases('zeros', (s) => jnp.zeros(s)),
  ones: creationCases('ones', (s) => jnp.ones(s)),
  full: [
    ...creationCases('full', (s) => jnp.full(s, 1)),
    { what: 'a NaN fill', run: () => jnp.full([2], NaN), check: valuesOf([NaN, NaN]) },
  ],
  zerosLike: [notATensor('zerosLike', (bad) => jnp.zerosLike(bad))],
  onesLike: [notATensor('onesLike', (bad) => jnp.onesLike(bad))],
  fullLike: [notATensor('fullLike', (bad) => jnp.fullLike(bad, 1))],
  arange: [
    { what: 'a zero step', run: () => jnp.arange(0, 3, 0), op: 'arange', mentions: ['step', '0'] },
    { what: 'a NaN stop', run: () => jnp.arange(NaN), op: 'arange', mentions: ['NaN'] },
    { what: 'a string stop', run: () => jnp.arange(loose('3')), op: 'arange', mentions: ['"3"'] },
    { what: 'an empty range', run: () => jnp.arange(3, 0), check: shapeOf([0]) },
  ],
  linspace: [
    {
      what: 'a negative count',
      run: () => jnp.linspace(0, 1, -1),
      op: 'linspace',
      mentions: ['num', '-1'],
    },
    {
      what: 'a string end',
      run: () => jnp.linspace(0, loose('x')),
      op: 'linspace',
      mentions: ['"x"'],
    },
    { what: 'no points', run: () => jnp.linspace(0, 1, 0), check: shapeOf([0]) },
    // NumPy too: the step is infinite and 0 * Infinity is NaN.
    {
      what: 'an infinite end',
      run: () => jnp.linspace(0, Infinity, 2),
      check: valuesOf([NaN, Infinity]),
    },
  ],
  eye: [
    { what: 'a negative size', run: () => jnp.eye(-1), op: 'eye', mentions: ['-1'] },
    { what: 'a zero size', run: () => jnp.eye(0), check: shapeOf([0, 0]) },
  ],
  identity: [
    { what: 'a fractional size', run: () => jnp.identity(1.5), op: 'identity', mentions: ['1.5'] },
  ],
  // Reductions (NumPy: NaN propagates; sum/prod of nothing are 0/1, mean/var/std of nothing NaN,
  // max/min/argmax/argmin of nothing are errors).
  sum: reductionCases('sum', jnp.sum, NaN, 0),
  prod: reductionCases('prod', jnp.prod, NaN, 1),
  mean: reductionCases('mean', jnp.mean, NaN, NaN),
  variance: reductionCases('variance', jnp.variance, NaN, NaN),
  std: reductionCases('std', jnp.std, NaN, NaN),
  max: reductionCases('max', jnp.max, NaN, 'error'),
  min: reductionCases('min', jnp.min, NaN, 'error'),
  argmax: reductionCases('argmax', jnp.argmax, 1, 'error'),
  argmin: reductionCases('argmin', jnp.argmin, 1, 'error'),
  all: [
    notATensor('all', (bad) => jnp.all(bad)),
    badAxis('all', (axis) => jnp.all(x23(), { axis })),
    { what: 'NaN is truthy', run: () => jnp.all(jnp.array([NaN, 1])), check: valuesOf([1]) },
    { what: 'all of nothing is true', run: () => jnp.all(empty()), check: valuesOf([1]) },
  ],
  any: [
    notATensor('any', (bad) => jnp.any(bad)),
    badAxis('any', (axis) => jnp.any(x23(), { axis })),
    { what: 'NaN is truthy', run: () => jnp.any(jnp.array([NaN, 0])), check: valuesOf([1]) },
    { what: 'any of nothing is false', run: () => jnp.any(empty()), check: valuesOf([0]) },
  ],
  cumsum: [
    notATensor('cumsum', (bad) => jnp.cumsum(bad)),
    badAxis('cumsum', (axis) => jnp.cumsum(x23(), { axis })),
    {
      what: 'NaN carries forward',
      run: () => jnp.cumsum(jnp.array([1, NaN, 1])),
      check: valuesOf([1, NaN, NaN]),
    },
    { what: 'an empty tensor', run: () => jnp.cumsum(empty()), check: shapeOf([0]) },
  ],
  // Shapes.
  reshape: [
    notATensor('reshape', (bad) => jnp.reshape(bad, [1])),
    {
      what: 'a size that differs',
      run: () => jnp.reshape(x23(), [4, 2]),
      op: 'reshape',
      mentions: ['[2, 3]', '[4, 2]'],
    },
    {
      what: 'two -1 entries',
      run: () => jnp.reshape(x23(), [-1, -1]),
      op: 'reshape',
      mentions: ['[-1, -1]'],
    },
    {
      what: 'a tensor as shape',
      run: () => jnp.reshape(x23(), loose(x23())),
      op: 'reshape',
      mentions: ['newShape', 'tensor'],
    },
    {
      what: 'an empty tensor',
      run: () => jnp.reshape(jnp.zeros([0, 3]), [3, 0]),
      check: shapeOf([3, 0]),
    },
  ],
  transpose: [
    notATensor('transpose', (bad) => jnp.transpose(bad)),
    {
      what: 'not a permutation',
      run: () => jnp.transpose(x23(), [0, 0]),
      op: 'transpose',
      mentions: ['[0, 0]'],
    },
    {
      what: 'a string as axes',
      run: () => jnp.transpose(x23(), loose('ab')),
      op: 'transpose',
      mentions: ['axes', '"ab"'],
    },
  ],
  swapaxes: [
    notATensor('swapaxes', (bad) => jnp.swapaxes(bad, 0, 1)),
    {
      what: 'axis out of range',
      run: () => jnp.swapaxes(x23(), 0, 2),
      op: 'swapaxes',
      mentions: ['axis2', '2'],
    },
  ],
  moveaxis: [
    notATensor('moveaxis', (bad) => jnp.moveaxis(bad, 0, 1)),
    {
      what: 'a fractional source',
      run: () => jnp.moveaxis(x23(), 0.5, 1),
      op: 'moveaxis',
      mentions: ['source', '0.5'],
    },
  ],
  expandDims: [
    notATensor('expandDims', (bad) => jnp.expandDims(bad, 0)),
    {
      what: 'axis out of range',
      run: () => jnp.expandDims(x23(), 5),
      op: 'expandDims',
      mentions: ['axis', '5'],
    },
    {
      what: 'a tensor as axis',
      run: () => jnp.expandDims(x23(), loose(x23())),
      op: 'expandDims',
      mentions: ['axis', 'tensor'],
    },
  ],
  squeeze: [
    notATensor('squeeze', (bad) => jnp.squeeze(bad)),
    {
      what: 'an axis of length 3',
      run: () => jnp.squeeze(x23(), 1),
      op: 'squeeze',
      mentions: ['axis 1', '3'],
    },
    {
      what: 'a string as axis',
      run: () => jnp.squeeze(x23(), loose('0')),
      op: 'squeeze',
      mentions: ['axis', '"0"'],
    },
  ],
  ravel: [
    notATensor('ravel', (bad) => jnp.ravel(bad)),
    { what: 'an empty tensor', run: () => jnp.ravel(jnp.zeros([2, 0])), check: shapeOf([0]) },
  ],
  broadcastTo: [
    notATensor('broadcastTo', (bad) => jnp.broadcastTo(bad, [2])),
    {
      what: 'a shape it cannot broadcast to',
      run: () => jnp.broadcastTo(x23(), [2, 4]),
      op: 'broadcastTo',
      mentions: ['[2, 3]', '[2, 4]'],
    },
    {
      what: 'a string as shape',
      run: () => jnp.broadcastTo(x23(), loose('23')),
      op: 'broadcastTo',
      mentions: ['shape', '"23"'],
    },
  ],
  broadcastShapes: [
    {
      what: 'shapes that do not broadcast',
      run: () => jnp.broadcastShapes([2, 3], [4]),
      op: 'broadcastShapes',
      mentions: ['[2, 3]', '[4]'],
    },
    {
      what: 'a non-list shape',
      run: () => jnp.broadcastShapes([2], loose({})),
      op: 'broadcastShapes',
      mentions: ['shape 1', 'object'],
    },
    {
      what: 'empty dimensions',
      run: () => jnp.broadcastShapes([0, 1], [3]),
      check: (s: number[]) => expect(s).toEqual([0, 3]),
    },
  ],
  broadcastArrays: [
    notATensor('broadcastArrays', (bad) => jnp.broadcastArrays(bad)),
    {
      what: 'shapes that do not broadcast',
      run: () => jnp.broadcastArrays(x23(), jnp.ones([4])),
      op: 'broadcastArrays',
      mentions: ['[2, 3]', '[4]'],
    },
  ],
  atleast1d: [notATensor('atleast1d', (bad) => jnp.atleast1d(bad))],
  // Joining and splitting.
  concatenate: [
    {
      what: 'not a list',
      run: () => jnp.concatenate(loose(x23())),
      op: 'concatenate',
      mentions: ['xs', 'tensor'],
    },
    {
      what: 'an empty list',
      run: () => jnp.concatenate([]),
      op: 'concatenate',
      mentions: ['empty'],
    },
    {
      what: 'shapes that differ',
      run: () => jnp.concatenate([x23(), jnp.ones([2, 4])], { axis: 0 }),
      op: 'concatenate',
      mentions: ['[2, 3]', '[2, 4]'],
    },
    {
      what: 'empty tensors',
      run: () => jnp.concatenate([jnp.zeros([0, 3]), x23()]),
      check: shapeOf([2, 3]),
    },
  ],
  stack: [
    {
      what: 'not a list',
      run: () => jnp.stack(loose('ab')),
      op: 'stack',
      mentions: ['xs', '"ab"'],
    },
    {
      what: 'shapes that differ',
      run: () => jnp.stack([x23(), jnp.ones([3, 2])]),
      op: 'stack',
      mentions: ['[2, 3]', '[3, 2]'],
    },
  ],
  hstack: [
    { what: 'not a list', run: () => jnp.hstack(loose(1)), op: 'hstack', mentions: ['xs', '1'] },
  ],
  vstack: [
    {
      what: 'not a list',
      run: () => jnp.vstack(loose(null)),
      op: 'vstack',
      mentions: ['xs', 'null'],
    },
  ],
  split: [
    notATensor('split', (bad) => jnp.split(bad, 2)),
    {
      what: 'sections that do not divide',
      run: () => jnp.split(jnp.ones([5]), 2),
      op: 'split',
      mentions: ['5', '2'],
    },
    {
      what: 'a string as sections',
      run: () => jnp.split(jnp.ones([4]), loose('2')),
      op: 'split',
      mentions: ['indicesOrSections', '"2"'],
    },
  ],
  arraySplit: [
    notATensor('arraySplit', (bad) => jnp.arraySplit(bad, 2)),
    {
      what: 'a fractional index',
      run: () => jnp.arraySplit(jnp.ones([4]), [1.5]),
      op: 'arraySplit',
      mentions: ['1.5'],
    },
    {
      what: 'a tensor as indices',
      run: () => jnp.arraySplit(jnp.ones([4]), loose(x23())),
      op: 'arraySplit',
      mentions: ['indicesOrSections', 'tensor'],
    },
  ],
  // Reordering.
  flip: [
    notATensor('flip', (bad) => jnp.flip(bad)),
    badAxis('flip', (axis) => jnp.flip(x23(), { axis })),
  ],
  roll: [
    notATensor('roll', (bad) => jnp.roll(bad, 1)),
    {
      what: 'a string shift',
      run: () => jnp.roll(x23(), loose('1')),
      op: 'roll',
      mentions: ['shift', '"1"'],
    },
    {
      what: 'shift and axis lengths differ',
      run: () => jnp.roll(x23(), [1, 2, 3], { axis: [0, 1] }),
      op: 'roll',
      mentions: ['[1, 2, 3]', '[0, 1]'],
    },
  ],
  tile: [
    notATensor('tile', (bad) => jnp.tile(bad, 2)),
    { what: 'negative reps', run: () => jnp.tile(x23(), -1), op: 'tile', mentions: ['reps', '-1'] },
  ],
  repeat: [
    notATensor('repeat', (bad) => jnp.repeat(bad, 2)),
    {
      what: 'negative repeats',
      run: () => jnp.repeat(x23(), -1),
      op: 'repeat',
      mentions: ['repeats', '-1'],
    },
    {
      what: 'a tensor as repeats',
      run: () => jnp.repeat(x23(), loose(x23())),
      op: 'repeat',
      mentions: ['repeats', 'tensor'],
    },
  ],
  pad: [
    notATensor('pad', (bad) => jnp.pad(bad, 1)),
    {
      what: 'a negative width',
      run: () => jnp.pad(x23(), -1),
      op: 'pad',
      mentions: ['padWidth', '-1'],
    },
    {
      what: 'a string width',
      run: () => jnp.pad(x23(), loose('1')),
      op: 'pad',
      mentions: ['padWidth', '"1"'],
    },
  ],
  // Sorting, selection and indexing.
  sort: [
    notATensor('sort', (bad) => jnp.sort(bad)),
    badAxis('sort', (axis) => jnp.sort(x23(), { axis })),
  ],
  argsort: [
    notATensor('argsort', (bad) => jnp.argsort(bad)),
    badAxis('argsort', (axis) => jnp.argsort(x23(), { axis })),
  ],
  take: [
    notATensor('take', (bad) => jnp.take(bad, ints([0]))),
    {
      what: 'float indices',
      run: () => jnp.take(x23(), jnp.ones([1])),
      op: 'take',
      mentions: ['indices', 'float32'],
    },
  ],
  takeAlongAxis: [
    notATensor('takeAlongAxis', (bad) => jnp.takeAlongAxis(bad, ints([0]), 0)),
    {
      what: 'float indices',
      run: () => jnp.takeAlongAxis(x23(), jnp.ones([1, 3]), 0),
      op: 'takeAlongAxis',
      mentions: ['indices', 'float32'],
    },
  ],
  nonzero: [
    notATensor('nonzero', (bad) => jnp.nonzero(bad)),
    {
      what: 'NaN counts as nonzero',
      run: () => jnp.nonzero(jnp.array([0, NaN]))[0],
      check: valuesOf([1]),
    },
  ],
  index: [
    {
      what: 'a non-tensor',
      run: () => jnp.index(loose([1, 2]), 0),
      op: 'index',
      mentions: ['x', 'Tensor'],
    },
    { what: 'an index out of range', run: () => jnp.index(x23(), 5), op: 'index', mentions: ['5'] },
    {
      what: 'float index tensors',
      run: () => jnp.index(x23(), jnp.ones([1])),
      op: 'index',
      mentions: ['float32'],
    },
  ],
  at: [
    notATensor('at', (bad) => jnp.at(bad, 0).set(1)),
    {
      what: 'an index out of range',
      run: () => jnp.at(x23(), 5).set(1),
      op: 'at.set',
      mentions: ['5'],
    },
  ],
  // Linear algebra.
  matmul: [
    notATensor('matmul', (bad) => jnp.matmul(bad, x23())),
    {
      what: 'inner dimensions that differ',
      run: () => jnp.matmul(x23(), x23()),
      op: 'matmul',
      mentions: ['[2, 3]', '3 != 2'],
    },
    {
      what: 'an empty inner dimension',
      run: () => jnp.matmul(jnp.ones([2, 0]), jnp.ones([0, 3])),
      check: valuesOf([0, 0, 0, 0, 0, 0]),
    },
    {
      what: 'NaN spreads along its row',
      run: () =>
        jnp.matmul(
          jnp.array([
            [NaN, 0],
            [1, 1],
          ]),
          jnp.ones([2, 1]),
        ),
      check: valuesOf([NaN, 2]),
    },
  ],
  dot: [
    notATensor('dot', (bad) => jnp.dot(bad, x23())),
    {
      what: 'inner dimensions that differ',
      run: () => jnp.dot(jnp.ones([2]), jnp.ones([3])),
      op: 'dot',
      mentions: ['[2]', '[3]'],
    },
  ],
  inner: [
    notATensor('inner', (bad) => jnp.inner(bad, x23())),
    {
      what: 'last dimensions that differ',
      run: () => jnp.inner(x23(), jnp.ones([4])),
      op: 'inner',
      mentions: ['float32[2, 3]', 'float32[4]', '3 != 4'],
    },
  ],
  outer: [
    notATensor('outer', (bad) => jnp.outer(bad, x23())),
    {
      what: 'an empty operand',
      run: () => jnp.outer(empty(), jnp.ones([3])),
      check: shapeOf([0, 3]),
    },
  ],
  tensordot: [
    notATensor('tensordot', (bad) => jnp.tensordot(bad, x23())),
    {
      what: 'contracted dimensions that differ',
      run: () => jnp.tensordot(x23(), jnp.ones([4, 5])),
      op: 'tensordot',
      mentions: ['[2, 3]', '[4, 5]'],
    },
  ],
  einsum: [
    {
      what: 'a non-string spec',
      run: () => jnp.einsum(loose(x23()), x23()),
      op: 'einsum',
      mentions: ['subscripts', 'tensor'],
    },
    {
      what: 'an operand count that differs',
      run: () => jnp.einsum('ij,jk->ik', x23()),
      op: 'einsum',
      mentions: ['2', '1'],
    },
    {
      what: 'a non-tensor operand',
      run: () => jnp.einsum('i->i', loose({})),
      op: 'einsum',
      mentions: ['object'],
    },
  ],
  tril: [
    notATensor('tril', (bad) => jnp.tril(bad)),
    { what: 'rank 1', run: () => jnp.tril(jnp.ones([3])), op: 'tril', mentions: ['[3]'] },
  ],
  triu: [
    notATensor('triu', (bad) => jnp.triu(bad)),
    { what: 'rank 1', run: () => jnp.triu(jnp.ones([3])), op: 'triu', mentions: ['[3]'] },
  ],
  diagonal: [
    notATensor('diagonal', (bad) => jnp.diagonal(bad)),
    { what: 'rank 1', run: () => jnp.diagonal(jnp.ones([3])), op: 'diagonal', mentions: ['[3]'] },
  ],
  trace: [
    notATensor('trace', (bad) => jnp.trace(bad)),
    { what: 'rank 1', run: () => jnp.trace(jnp.ones([3])), op: 'trace', mentions: ['[3]'] },
  ],
  diag: [
    notATensor('diag', (bad) => jnp.diag(bad)),
    {
      what: 'rank 3',
      run: () => jnp.diag(jnp.ones([2, 2, 2])),
      op: 'diag',
      mentions: ['[2, 2, 2]'],
    },
  ],
};
