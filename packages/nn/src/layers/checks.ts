/** Argument checks shared by the layers, with errors that name the layer, the argument and the value. */
import { Tensor, TensorError } from '@equinox-ts/autodiff';

/** `float32[3, 4]`: a tensor's dtype and shape, for messages. */
export function aval(x: Tensor): string {
  return `${x.dtype}[${x.shape.join(', ')}]`;
}

/**
 * The `key` option that initialises a layer's parameters: a clear error naming the layer when the
 * options or the key are missing (random.split would report it under its own name).
 */
export function initKey(layer: string, options: unknown): Tensor {
  if (options === null || typeof options !== 'object') {
    throw new TensorError(
      layer,
      `argument options: expected { key: random.key(seed), ... } to initialise the parameters, found ${describe(options)}`,
    );
  }
  const { key } = options as { key?: unknown };
  if (!(key instanceof Tensor)) {
    throw new TensorError(
      layer,
      `option key: expected a key from random.key(seed) to initialise the parameters, found ${describe(key)}`,
    );
  }
  return key;
}

/** `undefined`, `the number 3`, `a Tensor float32[2]`: a value, for messages. */
function describe(value: unknown): string {
  if (value instanceof Tensor) return `a Tensor ${aval(value)}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `the ${typeof value} ${value}`;
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A positive integer size argument, or a clear error. */
export function checkSize(layer: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TensorError(
      layer,
      `\`${argument}\` must be a positive integer, found ${String(value)}`,
    );
  }
  return value;
}

/** A number in `[low, high]` (`high` open when `openHigh`), or a clear error. */
export function checkRange(
  layer: string,
  argument: string,
  value: unknown,
  low: number,
  high: number,
  openHigh = false,
): number {
  if (typeof value !== 'number' || !(value >= low) || !(openHigh ? value < high : value <= high)) {
    throw new TensorError(
      layer,
      `\`${argument}\` must be a number in [${low}, ${high}${openHigh ? ')' : ']'}, found ${String(value)}`,
    );
  }
  return value;
}

/**
 * Checks that `x` is a Tensor: a plain array or a string would otherwise fail on `.ndim` or `.shape`
 * with an anonymous TypeError. `shape` describes what is expected, e.g. `of shape [3]`.
 */
export function checkTensor(layer: string, x: unknown, shape: string, what = 'x'): void {
  if (!(x instanceof Tensor)) {
    const found = x === null || typeof x !== 'object' ? String(x) : x.constructor.name;
    throw new TensorError(
      layer,
      `expected \`${what}\` to be a Tensor ${shape}, found ${typeof x} ${found}`,
    );
  }
}

/**
 * Checks that `x` is one unbatched example of rank `rank` (and, where given, sizes per dimension; `null`
 * means any), with an error that says what was expected and suggests `vmap` for batches.
 */
export function checkExample(
  layer: string,
  x: Tensor,
  expected: readonly (number | null)[],
  what = 'x',
): void {
  const text = expected.map((s) => (s === null ? '*' : String(s))).join(', ');
  checkTensor(layer, x, `of shape [${text}]`, what);
  const ok =
    x.ndim === expected.length && expected.every((size, d) => size === null || x.shape[d] === size);
  if (!ok) {
    const hint = x.ndim === expected.length + 1 ? '; layers take one example, batch with vmap' : '';
    throw new TensorError(
      layer,
      `expected \`${what}\` of shape [${text}], found ${aval(x)}${hint}`,
    );
  }
}
