// Properties of both formats: random trees round trip, and random truncations and bit flips of a valid
// file either still load or give this package's Error (never a RangeError from a huge allocation, a
// TypeError from a bad read, or a hang).
import { type Tensor, numpy } from '@equinox-ts/autodiff';
import type { DType } from '@equinox-ts/kernels';
import * as fc from 'fast-check';
import {
  decodeSafetensors,
  deserialiseLeaves,
  encodeSafetensors,
  serialiseLeaves,
} from '../src/index.js';

const shapeArb = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
const dtypeArb = fc.constantFrom<DType>('float32', 'int32', 'bool');

/** A random tensor: float32 values exact in float32, int32 over the whole range, or booleans. */
const tensorArb = fc.tuple(dtypeArb, shapeArb).chain(([dtype, shape]) => {
  const size = shape.reduce((a, b) => a * b, 1);
  const value =
    dtype === 'float32'
      ? fc.float({ noDefaultInfinity: false }).map(Math.fround)
      : dtype === 'int32'
        ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
        : fc.boolean().map(Number);
  return fc.array(value, { minLength: size, maxLength: size }).map((values) =>
    numpy.array(dtype === 'float32' ? new Float32Array(values) : new Int32Array(values), {
      dtype,
      shape,
    }),
  );
});

/** A random tree of tensors, numbers and booleans under object keys and array indices. */
const treeArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    tensorArb,
    fc.double(),
    fc.boolean(),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('node'), { maxKeys: 3 }),
  ),
})).node;

const isTensor = (x: unknown): x is Tensor => x instanceof Object && 'dataSync' in x;

/** Leaves as plain values for comparison: tensors by dtype, shape and values. */
const plain = (x: unknown): unknown =>
  isTensor(x) ? { dtype: x.dtype, shape: x.shape, values: Array.from(x.dataSync()) } : x;

/** A tree of the same structure with every leaf zeroed, to load into. */
function zeroed(x: unknown): unknown {
  if (isTensor(x)) return numpy.zerosLike(x);
  if (typeof x === 'number') return 0;
  if (typeof x === 'boolean') return false;
  if (Array.isArray(x)) return x.map(zeroed);
  return Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, zeroed(v)]));
}

const leavesOf = (x: unknown): unknown[] =>
  isTensor(x) || typeof x !== 'object' || x === null
    ? [plain(x)]
    : Object.keys(x)
        .sort()
        .flatMap((k) => leavesOf((x as Record<string, unknown>)[k]));

/** Runs `decode`: it returns, or throws exactly an Error (not a subclass) from this package. */
function expectSafeFailure(decode: () => unknown, op: string): void {
  try {
    decode();
  } catch (e) {
    expect((e as Error).constructor).toBe(Error);
    expect((e as Error).message.startsWith(`${op}: `)).toBe(true);
  }
}

/** A corruption of `bytes`: a truncation, or up to four bit flips. */
const corruptionArb = (length: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: length - 1 }).map((n) => (b: Uint8Array) => b.slice(0, n)),
    fc
      .array(fc.tuple(fc.integer({ min: 0, max: length - 1 }), fc.integer({ min: 0, max: 7 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((flips) => (b: Uint8Array) => {
        const copy = b.slice();
        for (const [at, bit] of flips) copy[at]! ^= 1 << bit;
        return copy;
      }),
  );

describe('serialisation properties', () => {
  test('leaf files round trip any tree of tensors, numbers and booleans', () => {
    fc.assert(
      fc.property(treeArb, (original) => {
        const loaded = deserialiseLeaves(serialiseLeaves(original), zeroed(original));
        expect(leavesOf(loaded)).toEqual(leavesOf(original));
      }),
    );
  });

  test('safetensors files round trip any tree of tensors', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tensorArb, { maxKeys: 4 }),
        (original) => {
          const bytes = encodeSafetensors(original, { metadata: { k: 'v' } });
          const byName = decodeSafetensors(bytes);
          expect(Object.keys(byName).sort()).toEqual(Object.keys(original).sort());
          for (const [name, t] of Object.entries(original))
            expect(plain(byName[name])).toEqual(plain(t));
          const like = decodeSafetensors(bytes, zeroed(original));
          expect(leavesOf(like)).toEqual(leavesOf(original));
        },
      ),
    );
  });

  const model = {
    layers: [
      {
        weight: numpy.array([
          [1, 2],
          [3, 4],
        ]),
        bias: numpy.array([0.5, -0.5]),
      },
    ],
    steps: numpy.array([7], { dtype: 'int32' }),
    mask: numpy.array([true, false]),
  };

  test('corrupt safetensors files load or give a clear Error', () => {
    const valid = encodeSafetensors(model, { metadata: { format: 'pt' } });
    fc.assert(
      fc.property(corruptionArb(valid.length), (corrupt) => {
        const bytes = corrupt(valid);
        expectSafeFailure(() => decodeSafetensors(bytes), 'decodeSafetensors');
        expectSafeFailure(() => decodeSafetensors(bytes, zeroed(model)), 'decodeSafetensors');
      }),
      { numRuns: 300 },
    );
  });

  test('corrupt leaf files load or give a clear Error', () => {
    const valid = serialiseLeaves({ ...model, rate: 0.1, training: true });
    const like = zeroed({ ...model, rate: 0.1, training: true });
    fc.assert(
      fc.property(corruptionArb(valid.length), (corrupt) => {
        expectSafeFailure(() => deserialiseLeaves(corrupt(valid), like), 'deserialiseLeaves');
      }),
      { numRuns: 300 },
    );
  });
});
