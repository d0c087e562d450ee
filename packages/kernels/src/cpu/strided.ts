/**
 * Loops over strided arrays, generated from expression strings (the op table's `js` entries) so each
 * kernel is a monomorphic loop that V8 optimises well, instead of a generic loop calling a closure.
 */
import type { DataArray } from '../dtype.js';
import { JS_HELPERS } from '../ops.js';
import { collapse } from './array.js';

/** An operand of a generated loop: its elements, first offset, and strides over the loop's shape. */
export interface Operand {
  data: DataArray;
  offset: number;
  strides: readonly number[];
}

/**
 * `out[i] = expression(inputs at i)` over `shape` in row-major order, where `out` is contiguous and the
 * expression names the inputs as {@link inputName} does (`a`, `b`, `c`, `v3`, ...).
 */
type Loop = (out: DataArray, shape: readonly number[], inputs: readonly Operand[]) => void;

const loops = new Map<string, Loop>();
/** The name an expression uses for input `k`: `a`, `b`, `c`, then `v3`, `v4`, ... */
export function inputName(k: number): string {
  return k < 3 ? 'abc'[k]! : `v${k}`;
}

function generate(arity: number, expression: string): Loop {
  const ks = Array.from({ length: arity }, (_, k) => k);
  const each = (f: (k: number) => string, sep = '\n'): string => ks.map(f).join(sep);
  const body = `
    const rank = shape.length;
    ${each((k) => `const x${k} = inputs[${k}].data, st${k} = inputs[${k}].strides; let o${k} = inputs[${k}].offset;`)}
    if (rank === 0) {
      ${each((k) => `const ${inputName(k)} = x${k}[o${k}];`)}
      out[0] = ${expression};
      return;
    }
    const inner = shape[rank - 1];
    ${each((k) => `const s${k} = st${k}[rank - 1];`)}
    const index = new Int32Array(rank);
    let o = 0;
    for (;;) {
      for (let i = 0, ${each((k) => `p${k} = o${k}`, ', ')}; i < inner; i++${each((k) => `, p${k} += s${k}`, '')}) {
        ${each((k) => `const ${inputName(k)} = x${k}[p${k}];`)}
        out[o++] = ${expression};
      }
      let d = rank - 2;
      for (; d >= 0; d--) {
        ${each((k) => `o${k} += st${k}[d];`)}
        if (++index[d] < shape[d]) break;
        ${each((k) => `o${k} -= st${k}[d] * shape[d];`)}
        index[d] = 0;
      }
      if (d < 0) return;
    }`;
  // `Math` comes in as a parameter: inside a vm context (jest's test sandbox, Node's vm module) each
  // lookup of a global goes through the context's interceptor, about 10x slower per element.
  const names = ['Math', ...Object.keys(JS_HELPERS)];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generating kernels is the point
  const make = new Function(...names, `return function loop(out, shape, inputs) {${body}\n}`) as (
    ...helpers: unknown[]
  ) => Loop;
  return make(Math, ...Object.values(JS_HELPERS));
}

/**
 * Runs the loop for `expression` over `shape`, writing a new contiguous `out`. Each input's strides are
 * already aligned with `shape` (0 on broadcast dimensions). Loops are generated once per
 * (expression, dtypes) and cached.
 */
export function runLoop(
  expression: string,
  out: DataArray,
  shape: readonly number[],
  inputs: readonly Operand[],
): void {
  if (out.length === 0) return;
  const key = `${inputs.map((x) => x.data.constructor.name).join(',')}>${out.constructor.name}|${expression}`;
  let loop = loops.get(key);
  if (loop === undefined) {
    loop = generate(inputs.length, expression);
    loops.set(key, loop);
  }
  const merged = collapse(
    shape,
    inputs.map((x) => x.strides),
  );
  // collapse() only merges dimensions that every input steps through evenly; the contiguous output
  // steps through any merge evenly, so it need not take part.
  loop(
    out,
    merged.shape,
    inputs.map((x, k) => ({ data: x.data, offset: x.offset, strides: merged.strides[k]! })),
  );
}

/**
 * The strides that read an array of `shape` with `strides` as if broadcast to `target` (NumPy rules,
 * already checked): 0 along dimensions the array does not have or has as 1.
 */
export function broadcastStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] {
  const lead = target.length - shape.length;
  return target.map((n, d) => {
    const i = d - lead;
    return i < 0 || shape[i] === 1 ? 0 : strides[i]!;
  });
}
