/** Turning JavaScript values into tensors, and tensors into other dtypes and backends. */
import { type Backend, type DType, allocData, broadcastShapes } from '@equinox-ts/kernels';
import * as pytree from '@equinox-ts/pytree';
import { getDefaultBackend } from '../core/default-backend.js';
import { TensorError, avalText, valueText } from '../core/errors.js';
import { resultDtype, weakDtypeOf } from '../core/dtype.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { cast } from '../primitives/elementwise.js';
import { concat, reshape } from '../primitives/layout.js';

/** Anything the numpy functions accept where a tensor is expected. */
export type ArrayLike =
  | Tensor
  | NestedArray
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | readonly ArrayLike[];

/** Options of {@link array}. */
export interface ArrayOptions {
  /** The dtype; by default float32 for numbers, bool for booleans, and the typed array's own for typed arrays. */
  dtype?: DType;
  /** The shape, for flat data (typed arrays); by default the nesting of the data. */
  shape?: readonly number[];
  /** Where the tensor lives; the default backend unless given. */
  backend?: Backend;
}

function typedDtype(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array || data instanceof Float64Array) return 'float32';
  if (
    data instanceof Int32Array ||
    data instanceof Int8Array ||
    data instanceof Int16Array ||
    data instanceof Uint16Array ||
    data instanceof Uint8Array
  )
    return 'int32';
  return undefined;
}

/** The shape of a nested array, read along its first entries (checked against the rest later). */
function nestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

/** True if `data` holds a tensor anywhere: `numpy.array([t1, t2])` stacks tensors, as `jnp.array` does. */
function holdsTensors(data: unknown): boolean {
  return data instanceof Tensor || (Array.isArray(data) && data.some(holdsTensors));
}

/**
 * The numbers of a nested array in row-major order, checking that it is rectangular and holds only
 * numbers and booleans; also whether every entry is a boolean.
 */
function flattenNested(
  op: string,
  data: NestedArray,
  shape: readonly number[],
): { flat: number[]; allBool: boolean } {
  const flat: number[] = [];
  let allBool = true;
  const visit = (value: unknown, dim: number, path: string): void => {
    const where = path || 'the top';
    if (dim === shape.length) {
      if (typeof value === 'number') {
        allBool = false;
        flat.push(value);
      } else if (typeof value === 'boolean') flat.push(value ? 1 : 0);
      else {
        const kind = Array.isArray(value) ? 'an array (the nesting is ragged)' : valueText(value);
        throw new TensorError(op, `expected a number or boolean at ${where}, found ${kind}`);
      }
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      const found = Array.isArray(value) ? `${value.length} entries` : valueText(value);
      throw new TensorError(
        op,
        `ragged nested array: expected ${shape[dim]} entries at ${where}, found ${found}`,
      );
    }
    value.forEach((v, i) => visit(v, dim + 1, `${path}[${i}]`));
  };
  visit(data, 0, '');
  return { flat, allBool };
}

/** `numpy.array` of a nested array that holds tensors: the entries converted, then stacked. */
function stackNested(op: string, data: readonly unknown[], options: ArrayOptions): Tensor {
  const entries = data.map((entry) =>
    toTensor(op, entry as ArrayLike, { backend: options.backend }),
  );
  const shape = entries[0]?.shape ?? [];
  entries.forEach((t, i) => {
    if (t.shape.join() !== shape.join()) {
      throw new TensorError(
        op,
        `cannot stack entries of shapes [${shape.join(', ')}] and [${t.shape.join(', ')}] (entry ${i})`,
      );
    }
  });
  const dtype =
    options.dtype ??
    resultDtype(
      entries.map((t) => t.dtype),
      [],
    );
  const rows = entries.map((t) => reshape(cast(t, dtype), [1, ...shape]));
  return rows.length === 0 ? toTensor(op, [], options) : concat(rows, 0);
}

/** {@link array}, with `op` as the name errors give. */
function toTensor(op: string, data: ArrayLike, options: ArrayOptions = {}): Tensor {
  const backend = options.backend ?? getDefaultBackend();
  if (data instanceof Tensor) {
    const moved = data.backend === backend ? data : devicePut(data, backend);
    return options.dtype ? astype(moved, options.dtype) : moved;
  }
  if (Array.isArray(data) && holdsTensors(data)) return stackNested(op, data, options);
  let values: ArrayBufferView | number[];
  let shape: readonly number[];
  let dtype: DType;
  if (ArrayBuffer.isView(data)) {
    const natural = typedDtype(data);
    if (!natural) throw new TensorError(op, `unsupported typed array ${data.constructor.name}`);
    dtype = options.dtype ?? natural;
    shape = options.shape ?? [data.length];
    values = data;
  } else {
    // Without tensors inside (checked above), a nested list is a NestedArray.
    const nested = nestedShape(data as NestedArray);
    const { flat, allBool } = flattenNested(op, data as NestedArray, nested);
    // An empty list holds no booleans, but is float32 like every list of numbers.
    dtype = options.dtype ?? (allBool && flat.length > 0 ? 'bool' : 'float32');
    shape = options.shape ?? nested;
    values = flat;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const source = values as unknown as { readonly length: number; readonly [i: number]: number };
  if (size !== source.length) {
    throw new TensorError(
      op,
      `shape [${shape.join(', ')}] needs ${size} elements, found ${source.length}`,
    );
  }
  const buffer = allocData(dtype, size);
  for (let i = 0; i < size; i++) buffer[i] = dtype === 'bool' ? (source[i] ? 1 : 0) : source[i]!;
  return Tensor._fromArray(backend.upload(buffer, shape));
}

/**
 * A new tensor from a nested array, a typed array (with `shape` for more than one dimension), a
 * number, a boolean or another tensor; a list of tensors is stacked. JavaScript numbers become float32
 * (there is no separate integer type to tell them apart) unless `dtype` says otherwise; a list of only
 * booleans is bool; typed arrays keep their kind (Int32Array and the small integer arrays give int32).
 *
 * @example
 * ```ts
 * numpy.array([[1, 2], [3, 4]]).shape; // [2, 2]
 * numpy.array([1, 2], { dtype: 'int32' }).dtype; // 'int32'
 * numpy.array([true, false]).dtype; // 'bool'
 * numpy.array(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] }).tolist(); // [[1, 2], [3, 4]]
 * numpy.array([numpy.zeros([2]), numpy.ones([2])]).tolist(); // [[0, 0], [1, 1]]
 * ```
 */
export function array(data: ArrayLike, options: ArrayOptions = {}): Tensor {
  return toTensor('array', data, options);
}

/**
 * `x` as a tensor: tensors are returned as they are (converted when `dtype` differs); anything else is
 * made into a tensor as {@link array} does.
 *
 * @example
 * ```ts
 * const x = numpy.ones([2]);
 * numpy.asarray(x) === x; // true
 * numpy.asarray(3).shape; // []
 * ```
 */
export function asarray(x: ArrayLike, options: { dtype?: DType } = {}): Tensor {
  if (x instanceof Tensor) return options.dtype ? astype(x, options.dtype) : x;
  return toTensor('asarray', x, options);
}

/** Throws unless `backend` looks like a kernels Backend (something with `upload`), naming `op`. */
function checkBackend(op: string, backend: unknown): void {
  if (typeof (backend as Partial<Backend> | null)?.upload !== 'function') {
    throw new TensorError(op, `backend must be a kernels Backend, found ${valueText(backend)}`);
  }
}

/**
 * {@link asarray} for use inside another function: errors name `op`, the function the user called
 * (`exp: expected a number ...`), rather than `asarray`. Internal to the numpy module (not exported
 * from the package), like {@link promoteOperands}.
 */
export function asarrayFor(op: string, x: ArrayLike, options: { dtype?: DType } = {}): Tensor {
  if (x instanceof Tensor) return options.dtype ? astype(x, options.dtype) : x;
  return toTensor(op, x, options);
}

/**
 * `x` converted to `dtype`: float to int truncates toward zero, anything to bool is `x != 0`.
 *
 * @example
 * ```ts
 * numpy.astype(numpy.array([-1.5, 2.7]), 'int32').tolist(); // [-1, 2]
 * ```
 */
export function astype(x: ArrayLike, dtype: DType): Tensor {
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool')
    throw new TensorError(
      'astype',
      `dtype must be 'float32', 'int32' or 'bool', found ${valueText(dtype)}`,
    );
  return cast(asarrayFor('astype', x), dtype);
}

/** Throws unless `x` can leave its backend: a traced tensor has no value to move. */
function checkMovable(x: Tensor): void {
  if (x._trace !== null) {
    throw new TensorError('devicePut', 'cannot move a traced tensor between backends');
  }
}

/** The tensors of `tree` that are not on `backend` yet. */
function tensorsToMove(tree: unknown, backend: Backend): Tensor[] {
  return pytree
    .leaves(tree)
    .filter((x): x is Tensor => x instanceof Tensor && x.backend !== backend);
}

/** `tree` with every tensor that `moved` has a copy of replaced by the copy. */
function replaceMoved<T>(tree: T, moved: ReadonlyMap<Tensor, Tensor>): T {
  return pytree.map<T>((x) => (x instanceof Tensor ? (moved.get(x) ?? x) : x), tree);
}

/**
 * A copy of `tree` (a tensor, or any pytree: a model, an optimiser state) with every tensor on `backend`
 * (`jax.device_put`): the way to move tensors between backends. Leaves that are not tensors, and tensors
 * already there, stay as they are. Synchronous, so the tensors must come from a backend that reads
 * synchronously (CPU, gpu.js); from WebGPU use {@link devicePutAsync}.
 *
 * @example
 * ```ts
 * const target = getDefaultBackend(); // e.g. a WebGPU backend from @equinox-ts/kernels
 * devicePut(numpy.ones([2]), target).backend === target; // true
 * devicePut({ w: numpy.ones([2]), name: 'layer' }, target).name; // 'layer'
 * ```
 */
export function devicePut<T>(tree: T, backend: Backend): T {
  checkBackend('devicePut', backend);
  const moved = new Map<Tensor, Tensor>();
  for (const x of tensorsToMove(tree, backend)) {
    checkMovable(x);
    const source = x._array('devicePut');
    const data = source.backend.readSync?.(source);
    if (!data) {
      throw new TensorError(
        'devicePut',
        `the ${source.backend.name} backend cannot read synchronously; use await devicePutAsync(tree, backend)`,
      );
    }
    moved.set(x, Tensor._fromArray(backend.upload(data, x.shape)));
  }
  return replaceMoved(tree, moved);
}

/**
 * {@link devicePut} from any backend, WebGPU included: the tensors are read asynchronously.
 *
 * @example
 * ```ts
 * const target = getDefaultBackend();
 * (await devicePutAsync([numpy.ones([2])], target))[0]!.backend === target; // true
 * ```
 */
export async function devicePutAsync<T>(tree: T, backend: Backend): Promise<T> {
  checkBackend('devicePutAsync', backend);
  const tensors = tensorsToMove(tree, backend);
  tensors.forEach(checkMovable);
  const data = await Promise.all(tensors.map((x) => x.data()));
  const moved = new Map(
    tensors.map((x, i) => [x, Tensor._fromArray(backend.upload(data[i]!, x.shape))]),
  );
  return replaceMoved(tree, moved);
}

/**
 * Converts the operands of an elementwise operation to tensors of one dtype, with JAX's promotion:
 * JavaScript numbers are weakly typed and take the tensors' dtype where they fit. `backend` is that of
 * the first tensor operand.
 */
export function promoteOperands(
  op: string,
  operands: readonly ArrayLike[],
  minimum?: DType,
): Tensor[] {
  const strong: DType[] = [];
  const weak: DType[] = [];
  let backend: Backend | undefined;
  const converted = operands.map((x, i) => {
    if (x instanceof Tensor) {
      strong.push(x.dtype);
      backend ??= x.backend;
      return x;
    }
    if (typeof x === 'number' || typeof x === 'boolean') {
      weak.push(weakDtypeOf(x));
      return x;
    }
    if (!Array.isArray(x) && !ArrayBuffer.isView(x)) {
      throw new TensorError(
        op,
        `operand ${i} must be a tensor, a number, a boolean or an array, found ${valueText(x)}`,
      );
    }
    const t = toTensor(op, x);
    strong.push(t.dtype);
    return t;
  });
  let dtype = resultDtype(strong, weak);
  if (minimum === 'float32') dtype = 'float32';
  else if (minimum === 'int32' && dtype === 'bool') dtype = 'int32';
  const on = backend ?? getDefaultBackend();
  const tensors = converted.map((x) => {
    if (x instanceof Tensor) return cast(x, dtype);
    if (dtype === 'int32' && typeof x === 'number' && (x > 2147483647 || x < -2147483648)) {
      throw new TensorError(
        op,
        `the number ${x} does not fit in int32, the other operand's dtype; convert that tensor with astype('float32') first`,
      );
    }
    return Tensor._fromArray(on.full([], Number(x), dtype));
  });
  checkBroadcast(op, tensors);
  return tensors;
}

/** Throws unless the tensors' shapes broadcast together, naming `op` (the function the user called). */
function checkBroadcast(op: string, tensors: readonly Tensor[]): void {
  try {
    broadcastShapes(op, ...tensors.map((t) => t.shape));
  } catch {
    throw new TensorError(
      op,
      `shapes ${tensors.map(avalText).join(' and ')} do not broadcast: each trailing dimension must be equal or 1`,
    );
  }
}

/** Throws unless `x` has one of `dtypes`. */
export function requireDtype(
  op: string,
  argument: string,
  x: Tensor,
  dtypes: readonly DType[],
): void {
  if (!dtypes.includes(x.dtype)) {
    throw new TensorError(
      op,
      `\`${argument}\` must be ${dtypes.join(' or ')}, found ${avalText(x)}`,
    );
  }
}
