/** Convolution dimension numbers: which dimension of each operand is batch, feature and spatial. */
import { TensorError } from '../core/errors.js';

/**
 * The layout of a convolution's operands as JAX's string form `[lhsSpec, rhsSpec, outSpec]`: in the
 * input and output, `'N'` marks the batch dimension and `'C'` the feature dimension; in the filter,
 * `'O'` and `'I'` mark output and input features; any other (distinct) letters are spatial dimensions,
 * matched by letter. Window strides, padding and dilations follow the order of the spatial letters
 * in `rhsSpec`. The default is channel-first: `['NCHW', 'OIHW', 'NCHW']` for two spatial dimensions.
 *
 * @example
 * ```ts
 * const nhwc: lax.ConvDimensionNumbers = ['NHWC', 'HWIO', 'NHWC'];
 * const x = numpy.ones([1, 4, 4, 3]); // a 4x4 image with 3 channels, channels last
 * const w = numpy.ones([3, 3, 3, 8]); // 3x3 filters from 3 to 8 channels
 * lax.convGeneralDilated(x, w, [1, 1], 'SAME', { dimensionNumbers: nhwc }).shape; // [1, 4, 4, 8]
 * ```
 */
export type ConvDimensionNumbers = readonly [string, string, string];

/**
 * The permutations that bring each operand to the channel-first layout `[N, C, ...spatial]`
 * (`[O, I, ...spatial]` for the filter): canonical dimension `i` is the operand's `perm[i]`.
 */
export interface ConvPermutations {
  readonly lhs: readonly number[];
  readonly rhs: readonly number[];
  readonly out: readonly number[];
}

const identity = (rank: number): number[] => Array.from({ length: rank }, (_, i) => i);

/** The permutations of `numbers` (channel-first when absent), for operands of `rank` dimensions. */
export function convPermutations(
  op: string,
  numbers: ConvDimensionNumbers | null | undefined,
  rank: number,
): ConvPermutations {
  if (numbers === null || numbers === undefined)
    return { lhs: identity(rank), rhs: identity(rank), out: identity(rank) };
  const bad = (detail: string): TensorError =>
    new TensorError(
      op,
      `\`dimensionNumbers\` must be [lhsSpec, rhsSpec, outSpec] strings such as ['NCHW', 'OIHW', 'NCHW']: ${detail}`,
    );
  if (
    !Array.isArray(numbers) ||
    numbers.length !== 3 ||
    !numbers.every((s) => typeof s === 'string')
  ) {
    throw bad(`found ${JSON.stringify(numbers)}`);
  }
  const [lhsSpec, rhsSpec, outSpec] = numbers;
  const pairs: [string, string, [string, string]][] = [
    ['lhsSpec', lhsSpec, ['N', 'C']],
    ['rhsSpec', rhsSpec, ['O', 'I']],
    ['outSpec', outSpec, ['N', 'C']],
  ];
  for (const [name, spec, [a, b]] of pairs) {
    if (spec.length !== rank)
      throw bad(`${name} '${spec}' must have ${rank} letters, one per operand dimension`);
    if (new Set(spec).size !== spec.length) throw bad(`${name} '${spec}' repeats a letter`);
    if (!spec.includes(a) || !spec.includes(b))
      throw bad(`${name} '${spec}' must contain '${a}' and '${b}'`);
  }
  const spatial = (spec: string, [a, b]: [string, string]): string =>
    [...spec]
      .filter((c) => c !== a && c !== b)
      .sort()
      .join('');
  if (
    spatial(lhsSpec, ['N', 'C']) !== spatial(rhsSpec, ['O', 'I']) ||
    spatial(outSpec, ['N', 'C']) !== spatial(rhsSpec, ['O', 'I'])
  ) {
    throw bad(`the spatial letters of '${lhsSpec}', '${rhsSpec}' and '${outSpec}' differ`);
  }
  const spatialOrder = [...rhsSpec].filter((c) => c !== 'O' && c !== 'I');
  const perm = (spec: string, [a, b]: [string, string]): number[] => [
    spec.indexOf(a),
    spec.indexOf(b),
    ...spatialOrder.map((c) => spec.indexOf(c)),
  ];
  return {
    lhs: perm(lhsSpec, ['N', 'C']),
    rhs: perm(rhsSpec, ['O', 'I']),
    out: perm(outSpec, ['N', 'C']),
  };
}

/** The inverse permutation: `inverse(p)[p[i]] = i`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse: number[] = [];
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}
