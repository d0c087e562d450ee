/** Argument parsing and initialisation shared by `Conv` and `ConvTranspose`. */
import { type Tensor, TensorError, random } from '@equinox-ts/autodiff';
import { aval, checkSize, checkTensor } from './checks.js';

/**
 * How a convolution pads its input: one integer for both sides of every spatial dimension, one integer
 * per dimension, one `[low, high]` pair per dimension, or `'SAME'` (the output has `ceil(size /
 * stride)` positions, an odd total padding putting the extra element after), `'SAME_LOWER'` (the extra
 * element before) or `'VALID'` (no padding). Strings are case-insensitive.
 *
 * @example
 * ```ts
 * const padding: ConvPadding = [[1, 0]];
 * new Conv1d(1, 1, 2, { key: random.key(0), padding }).call(numpy.ones([1, 4])).shape; // [1, 4]
 * ```
 */
export type ConvPadding =
  | number
  | readonly number[]
  | readonly (readonly [number, number])[]
  | 'SAME'
  | 'SAME_LOWER'
  | 'VALID'
  | 'same'
  | 'same_lower'
  | 'valid';

/**
 * What a convolution pads with (case-insensitive): `'ZEROS'` (`1234 -> 00123400`), `'REFLECT'`
 * (mirrored without repeating the edge, `1234 -> 32123432`), `'REPLICATE'` (the edge value, `1234 ->
 * 11123444`) or `'CIRCULAR'` (continued from the other end, `1234 -> 34123412`).
 *
 * @example
 * ```ts
 * const paddingMode: ConvPaddingMode = 'CIRCULAR';
 * const conv = new Conv1d(1, 1, 3, { key: random.key(0), padding: 1, paddingMode });
 * conv.paddingMode; // 'CIRCULAR'
 * ```
 */
export type ConvPaddingMode =
  'ZEROS' | 'REFLECT' | 'REPLICATE' | 'CIRCULAR' | 'zeros' | 'reflect' | 'replicate' | 'circular';

/**
 * A padding as a conv layer stores it (its `padding` field): an upper-case string, or one `[low, high]`
 * pair per spatial dimension.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(1, 1, 3, { key: random.key(0), padding: 1 });
 * const padding: ResolvedPadding = conv.padding;
 * padding; // [[1, 1]]
 * ```
 */
export type ResolvedPadding = 'SAME' | 'SAME_LOWER' | 'VALID' | [number, number][];

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** `value` (one integer, or one per spatial dimension) as `n` integers of at least `min`. */
export function perDimension(
  layer: string,
  argument: string,
  value: unknown,
  n: number,
  min: number,
): number[] {
  const list: unknown[] = Array.isArray(value) ? value : new Array<unknown>(n).fill(value);
  if (list.length !== n || !list.every((v) => isInt(v) && v >= min)) {
    throw new TensorError(
      layer,
      `\`${argument}\` must be an integer of at least ${min} or ${n} of them (one per spatial dimension), found ${JSON.stringify(value)}`,
    );
  }
  return list as number[];
}

/** The number of spatial dimensions: 1, 2 or 3 (what `lax.convGeneralDilated` supports). */
export function checkSpatialDims(layer: string, n: unknown): number {
  if (n !== 1 && n !== 2 && n !== 3) {
    throw new TensorError(layer, `\`numSpatialDims\` must be 1, 2 or 3, found ${String(n)}`);
  }
  return n;
}

/** Padding in the form a layer stores it (as Equinox's `_padding_init`). */
export function resolvePaddingArgument(
  layer: string,
  padding: unknown,
  n: number,
): ResolvedPadding {
  if (typeof padding === 'string') {
    const upper = padding.toUpperCase();
    if (upper === 'SAME' || upper === 'SAME_LOWER' || upper === 'VALID') return upper;
  } else if (isInt(padding)) {
    return new Array<number>(n).fill(0).map(() => [padding, padding]);
  } else if (Array.isArray(padding) && padding.length === n) {
    if (padding.every(isInt)) return padding.map((p: number) => [p, p]);
    const pairs = padding.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt));
    if (pairs) return (padding as [number, number][]).map(([lo, hi]) => [lo, hi]);
  }
  throw new TensorError(
    layer,
    `\`padding\` must be 'SAME', 'SAME_LOWER', 'VALID', an integer, or ${n} integers or ${n} [low, high] integer pairs, found ${JSON.stringify(padding)}`,
  );
}

/** The padding mode in upper case, or a clear error. */
export function resolvePaddingMode(layer: string, mode: unknown): Uppercase<ConvPaddingMode> {
  const upper = typeof mode === 'string' ? mode.toUpperCase() : mode;
  if (upper === 'ZEROS' || upper === 'REFLECT' || upper === 'REPLICATE' || upper === 'CIRCULAR') {
    return upper;
  }
  throw new TensorError(
    layer,
    `\`paddingMode\` must be 'ZEROS', 'REFLECT', 'REPLICATE' or 'CIRCULAR', found ${JSON.stringify(mode)}`,
  );
}

/** Checks the channel counts and that `groups` divides both. */
export function checkChannels(
  layer: string,
  inChannels: unknown,
  outChannels: unknown,
  groups: unknown,
): void {
  const cin = checkSize(layer, 'inChannels', inChannels);
  const cout = checkSize(layer, 'outChannels', outChannels);
  const g = checkSize(layer, 'groups', groups);
  if (cin % g !== 0 || cout % g !== 0) {
    throw new TensorError(
      layer,
      `\`groups\` (${g}) must divide \`inChannels\` (${cin}) and \`outChannels\` (${cout})`,
    );
  }
}

/**
 * Weight `[outChannels, inChannels / groups, ...kernelSize]` and bias `[outChannels, 1, ..., 1]`,
 * uniform in `±1/sqrt(fanIn)` with `fanIn = inChannels / groups * prod(kernelSize)`, as Equinox.
 */
export function initConvParameters(
  key: Tensor,
  outChannels: number,
  groupedInChannels: number,
  kernelSize: readonly number[],
  useBias: boolean,
): { weight: Tensor; bias: Tensor | null } {
  const [wKey, bKey] = random.split(key);
  const fanIn = groupedInChannels * kernelSize.reduce((a, b) => a * b, 1);
  const limit = 1 / Math.sqrt(fanIn);
  const bounds = { minval: -limit, maxval: limit };
  const weight = random.uniform(wKey!, [outChannels, groupedInChannels, ...kernelSize], bounds);
  const biasShape = [outChannels, ...kernelSize.map(() => 1)];
  return { weight, bias: useBias ? random.uniform(bKey!, biasShape, bounds) : null };
}

/** Checks that `x` is `[inChannels, ...n spatial]`, with a hint to vmap a batch. */
export function checkConvInput(layer: string, x: Tensor, inChannels: number, n: number): void {
  checkTensor(layer, x, `of rank ${n + 1} (inChannels, then ${n} spatial dimensions)`);
  if (x.ndim === n + 1 && x.shape[0] === inChannels) return;
  const hint = x.ndim === n + 2 ? '; layers take one example, batch with vmap' : '';
  const spatial = new Array<string>(n).fill('*').join(', ');
  throw new TensorError(
    layer,
    `expected \`x\` of shape [${inChannels}, ${spatial}] (inChannels, then ${n} spatial dimension${n > 1 ? 's' : ''}), found ${aval(x)}${hint}`,
  );
}

/** `[low, high]` pairs for `'SAME'`/`'SAME_LOWER'`/`'VALID'` over `sizes`, as JAX's `padtype_to_pads`. */
export function stringPads(
  padding: 'SAME' | 'SAME_LOWER' | 'VALID',
  sizes: readonly number[],
  window: readonly number[],
  stride: readonly number[],
): [number, number][] {
  return sizes.map((size, d) => {
    if (padding === 'VALID') return [0, 0];
    const out = Math.ceil(size / stride[d]!);
    const total = Math.max(0, (out - 1) * stride[d]! + window[d]! - size);
    const small = Math.floor(total / 2);
    return padding === 'SAME' ? [small, total - small] : [total - small, small];
  });
}
