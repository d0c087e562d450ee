/**
 * The elementwise primitives: one per op of the kernels' UNARY_OPS and BINARY_OPS tables, plus `where`,
 * `cast` and `bitcast`. Binary ops broadcast as NumPy does; their VJP sums the cotangent back to each
 * input's shape.
 */
import {
  BINARY_OPS,
  UNARY_OPS,
  broadcastShapes,
  type BinaryOp,
  type DType,
  type OpSpec,
  type UnaryOp,
} from '@equinox-ts/kernels';
import { TensorError, avalText } from '../core/errors.js';
import {
  bind,
  definePrimitive,
  type Aval,
  type Primitive,
  type VjpRule,
} from '../core/primitive.js';
import type { Tensor } from '../tensor.js';
import { scalarLike } from './constants.js';
import { sumToShape } from './reduce.js';

// --- the primitives -------------------------------------------------------------------------------

function accepts(name: string, spec: OpSpec, aval: Aval): void {
  if (!(aval.dtype in spec.js)) {
    const accepted = Object.keys(spec.js).join(' or ');
    throw new TensorError(name, `expected ${accepted} input, found ${avalText(aval)}`);
  }
}

function broadcastOrThrow(name: string, a: Aval, b: Aval): number[] {
  try {
    return broadcastShapes(name, a.shape, b.shape);
  } catch {
    throw new TensorError(
      name,
      `shapes ${avalText(a)} and ${avalText(b)} do not broadcast: each trailing dimension must be equal or 1`,
    );
  }
}

const UNARY = new Map<UnaryOp, Primitive>();
const BINARY = new Map<BinaryOp, Primitive>();

function defineUnary(op: UnaryOp, vjp?: (ct: Tensor, x: Tensor, y: Tensor) => Tensor): void {
  const spec: OpSpec = UNARY_OPS[op];
  UNARY.set(
    op,
    definePrimitive({
      name: op,
      shape: ([x]) => {
        accepts(op, spec, x!);
        return { shape: x!.shape, dtype: spec.out ?? x!.dtype };
      },
      impl: (backend, [x]) => backend.unary(op, x!),
      ...(vjp && { vjp: (ct, [x], y) => [vjp(ct, x!, y)] }),
    }),
  );
}

function defineBinary(
  op: BinaryOp,
  vjp?: (ct: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null],
): void {
  const spec: OpSpec = BINARY_OPS[op];
  const rule: VjpRule<void> | undefined =
    vjp &&
    ((ct, [a, b], y, _params, needed) => {
      const [ga, gb] = vjp(ct, a!, b!, y);
      return [
        needed[0] && ga ? sumToShape(ga, a!.shape) : null,
        needed[1] && gb ? sumToShape(gb, b!.shape) : null,
      ];
    });
  BINARY.set(
    op,
    definePrimitive({
      name: op,
      shape: ([a, b]) => {
        if (a!.dtype !== b!.dtype) {
          throw new TensorError(
            op,
            `inputs must share a dtype, found ${avalText(a!)} and ${avalText(b!)}`,
          );
        }
        accepts(op, spec, a!);
        return { shape: broadcastOrThrow(op, a!, b!), dtype: spec.out ?? a!.dtype };
      },
      impl: (backend, [a, b]) => backend.binary(op, a!, b!),
      ...(rule && { vjp: rule }),
    }),
  );
}

/** Applies a unary op of the kernels' table. */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  return bind(UNARY.get(op)!, [x], undefined);
}

/** Applies a binary op of the kernels' table, with broadcasting; both inputs share a dtype. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  return bind(BINARY.get(op)!, [a, b], undefined);
}

// Short names for the rules below.
const add = (a: Tensor, b: Tensor) => binary('add', a, b);
const sub = (a: Tensor, b: Tensor) => binary('sub', a, b);
const mul = (a: Tensor, b: Tensor) => binary('mul', a, b);
const div = (a: Tensor, b: Tensor) => binary('div', a, b);
const neg = (x: Tensor) => unary('neg', x);
const k = (like: Tensor, value: number) => scalarLike(like, value);

defineUnary('neg', (ct) => neg(ct));
defineUnary('abs', (ct, x) => mul(ct, unary('sign', x)));
defineUnary('sign');
defineUnary('square', (ct, x) => mul(ct, mul(x, k(x, 2))));
defineUnary('exp', (ct, _x, y) => mul(ct, y));
defineUnary('expm1', (ct, _x, y) => mul(ct, add(y, k(y, 1))));
defineUnary('log', (ct, x) => div(ct, x));
defineUnary('log1p', (ct, x) => div(ct, add(x, k(x, 1))));
defineUnary('sqrt', (ct, _x, y) => div(ct, mul(y, k(y, 2))));
defineUnary('rsqrt', (ct, x, y) => mul(ct, mul(div(y, x), k(x, -0.5))));
defineUnary('reciprocal', (ct, _x, y) => neg(mul(ct, unary('square', y))));
defineUnary('sin', (ct, x) => mul(ct, unary('cos', x)));
defineUnary('cos', (ct, x) => neg(mul(ct, unary('sin', x))));
defineUnary('tan', (ct, _x, y) => mul(ct, add(k(y, 1), unary('square', y))));
defineUnary('asin', (ct, x) => mul(ct, unary('rsqrt', sub(k(x, 1), unary('square', x)))));
defineUnary('acos', (ct, x) => neg(mul(ct, unary('rsqrt', sub(k(x, 1), unary('square', x))))));
defineUnary('atan', (ct, x) => div(ct, add(k(x, 1), unary('square', x))));
defineUnary('sinh', (ct, x) => mul(ct, unary('cosh', x)));
defineUnary('cosh', (ct, x) => mul(ct, unary('sinh', x)));
defineUnary('tanh', (ct, _x, y) => mul(ct, sub(k(y, 1), unary('square', y))));
defineUnary('asinh', (ct, x) => mul(ct, unary('rsqrt', add(unary('square', x), k(x, 1)))));
// 1/sqrt((x-1)(x+1)) rather than 1/sqrt(x^2-1), which loses precision near 1.
defineUnary('acosh', (ct, x) => mul(ct, unary('rsqrt', mul(sub(x, k(x, 1)), add(x, k(x, 1))))));
defineUnary('atanh', (ct, x) => div(ct, sub(k(x, 1), unary('square', x))));
defineUnary('sigmoid', (ct, _x, y) => mul(ct, mul(y, sub(k(y, 1), y))));
defineUnary('erf', (ct, x) =>
  mul(ct, mul(k(x, 2 / Math.sqrt(Math.PI)), unary('exp', neg(unary('square', x))))),
);
defineUnary('floor');
defineUnary('ceil');
defineUnary('round');
defineUnary('isNaN');
defineUnary('logicalNot');
defineUnary('bitwiseNot');

defineBinary('add', (ct) => [ct, ct]);
defineBinary('sub', (ct) => [ct, neg(ct)]);
defineBinary('mul', (ct, a, b) => [mul(ct, b), mul(ct, a)]);
defineBinary('div', (ct, _a, b, y) => {
  const ga = div(ct, b);
  return [ga, neg(mul(ga, y))];
});
// rem(a, b) = a - b * trunc(a / b): d/da = 1, d/db = -trunc(a / b).
defineBinary('rem', (ct, a, b) => {
  const q = div(a, b);
  const truncated = mul(unary('sign', q), unary('floor', unary('abs', q)));
  return [ct, neg(mul(ct, truncated))];
});
// pow: d/da = b a^(b-1) (0 where b = 0), d/db = log(a) a^b (0 where a = 0), as JAX defines them.
defineBinary('pow', (ct, a, b, y) => {
  const zero = k(a, 0);
  const bIsZero = binary('eq', b, zero);
  const safeB = where(bIsZero, k(b, 1), b);
  const da = where(bIsZero, zero, mul(b, binary('pow', a, sub(safeB, k(b, 1)))));
  const aIsZero = binary('eq', a, zero);
  const db = where(aIsZero, zero, mul(unary('log', where(aIsZero, k(a, 1), a)), y));
  return [mul(ct, da), mul(ct, db)];
});
defineBinary('atan2', (ct, a, b) => {
  const denominator = add(unary('square', a), unary('square', b));
  return [mul(ct, div(b, denominator)), neg(mul(ct, div(a, denominator)))];
});
// max and min split the cotangent evenly between equal inputs, as JAX does.
const chooser = (pick: 'gt' | 'lt') => (ct: Tensor, a: Tensor, b: Tensor) => {
  const half = k(a, 0.5);
  const share = where(binary(pick, a, b), k(a, 1), where(binary('eq', a, b), half, k(a, 0)));
  return [mul(ct, share), mul(ct, sub(k(a, 1), share))] as [Tensor, Tensor];
};
defineBinary('max', chooser('gt'));
defineBinary('min', chooser('lt'));
for (const op of [
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
  'bitwiseAnd',
  'bitwiseOr',
  'bitwiseXor',
  'shiftLeft',
  'shiftRightArithmetic',
  'shiftRightLogical',
] as const) {
  defineBinary(op);
}

// --- where, cast, bitcast -------------------------------------------------------------------------

const whereP = definePrimitive({
  name: 'where',
  shape: ([c, a, b]) => {
    if (c!.dtype !== 'bool')
      throw new TensorError('where', `condition must be bool, found ${avalText(c!)}`);
    if (a!.dtype !== b!.dtype) {
      throw new TensorError(
        'where',
        `branches must share a dtype, found ${avalText(a!)} and ${avalText(b!)}`,
      );
    }
    const ab = broadcastOrThrow('where', a!, b!);
    return {
      shape: broadcastOrThrow('where', c!, { shape: ab, dtype: a!.dtype }),
      dtype: a!.dtype,
    };
  },
  impl: (backend, [c, a, b]) => backend.where(c!, a!, b!),
  vjp: (ct, [c, a, b], _y, _params, needed) => {
    const zero = scalarLike(ct, 0);
    return [
      null,
      needed[1] ? sumToShape(where(c!, ct, zero), a!.shape) : null,
      needed[2] ? sumToShape(where(c!, zero, ct), b!.shape) : null,
    ];
  },
});

/** `cond ? a : b` elementwise, broadcasting all three; `a` and `b` share a dtype. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return bind(whereP, [cond, a, b], undefined);
}

const castP = definePrimitive<DType>({
  name: 'cast',
  shape: ([x], dtype) => ({ shape: x!.shape, dtype }),
  impl: (backend, [x], dtype) => backend.cast(x!, dtype),
  // Only float -> float is differentiable, and that cast is the identity.
  vjp: (ct, [x]) => [x!.dtype === 'float32' ? ct : null],
});

/** Converts elements to `dtype` (float to int truncates toward zero); the identity for the same dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : bind(castP, [x], dtype);
}

const bitcastP = definePrimitive<'float32' | 'int32'>({
  name: 'bitcast',
  shape: ([x], dtype) => {
    if (x!.dtype === 'bool')
      throw new TensorError('bitcast', `expected float32 or int32 input, found ${avalText(x!)}`);
    return { shape: x!.shape, dtype };
  },
  impl: (backend, [x], dtype) => backend.bitcast(x!, dtype),
});

/** Reinterprets the bits of float32 as int32 or the other way round. */
export function bitcast(x: Tensor, dtype: 'float32' | 'int32'): Tensor {
  return x.dtype === dtype ? x : bind(bitcastP, [x], dtype);
}
