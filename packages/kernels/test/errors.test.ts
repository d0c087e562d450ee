// Bad arguments throw a KernelError whose message starts with the kernel's name and names the argument,
// what was expected and what was found.
import {
  BINARY_OPS,
  CpuBackend,
  KernelError,
  UNARY_OPS,
  cpu,
  type Backend,
  type BackendArray,
  type BinaryOp,
  type DType,
  type UnaryOp,
} from '../src/index.js';
import { forEachBackend } from './conformance/helpers.js';

/**
 * Runs `fn`, expecting a KernelError whose message starts with the kernel's name (any of `kernel`, where
 * the contract leaves open whether an op-parameterised kernel is named by itself or by its op) and
 * matches every pattern.
 */
function expectKernelError(
  fn: () => unknown,
  kernel: string | readonly string[],
  ...patterns: RegExp[]
): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(KernelError);
  const { message, kernel: named } = error as KernelError;
  const names = typeof kernel === 'string' ? [kernel] : kernel;
  expect({ named: names.includes(named), message }).toEqual({
    named: true,
    message: expect.stringMatching(new RegExp(`^${named}: `)) as unknown,
  });
  for (const pattern of patterns) expect(message).toMatch(pattern);
}

/** reduce's errors may be named after the kernel or after the reduction. */
const REDUCE = ['reduce', 'sum', 'prod', 'max', 'min'];

const DTYPES: DType[] = ['float32', 'int32', 'bool'];
const f32 = (be: Backend, shape: number[]) => be.full(shape, 1, 'float32');
const i32 = (be: Backend, shape: number[]) => be.full(shape, 1, 'int32');
const bool = (be: Backend, shape: number[]) => be.full(shape, 1, 'bool');
const of = (be: Backend, shape: number[], dtype: DType) => be.full(shape, 1, dtype);

forEachBackend((ctx) => {
  describe('shapes that do not fit', () => {
    it('binary: operands that do not broadcast', () => {
      expectKernelError(
        () => ctx.be.binary('add', f32(ctx.be, [2, 3]), f32(ctx.be, [4])),
        'add',
        /\[2, 3\]/,
        /\[4\]/,
      );
      expectKernelError(
        () => ctx.be.binary('lt', i32(ctx.be, [2, 1, 3]), i32(ctx.be, [4, 2])),
        'lt',
        /\[2, 1, 3\]/,
        /\[4, 2\]/,
      );
    });

    it('where: operands that do not broadcast', () => {
      expectKernelError(
        () => ctx.be.where(bool(ctx.be, [3]), f32(ctx.be, [2, 3]), f32(ctx.be, [2, 2])),
        'where',
        /\[2, 3\]/,
        /\[2, 2\]/,
      );
      expectKernelError(
        () => ctx.be.where(bool(ctx.be, [4]), f32(ctx.be, [3]), f32(ctx.be, [3])),
        'where',
        /\[4\]/,
        /\[3\]/,
      );
    });

    it('matmul: inner dimensions that differ', () => {
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [3, 4]), f32(ctx.be, [5, 2])),
        'matmul',
        /\[3, 4\]/,
        /\[5, 2\]/,
        /4/,
        /5/,
      );
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [3, 4]), f32(ctx.be, [2, 5]), { transposeB: true }),
        'matmul',
        /\[3, 4\]/,
        /\[2, 5\]/,
      );
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [4, 3]), f32(ctx.be, [4, 2]), { transposeA: false }),
        'matmul',
        /\[4, 3\]/,
        /\[4, 2\]/,
      );
    });

    it('matmul: batch dimensions that do not broadcast, and rank below 2', () => {
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [2, 3, 4]), f32(ctx.be, [3, 4, 5])),
        'matmul',
        /\[2, 3, 4\]/,
        /\[3, 4, 5\]/,
      );
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [4]), f32(ctx.be, [4, 2])),
        'matmul',
        /`a`/,
        /\[4\]/,
      );
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [2, 4]), f32(ctx.be, [])),
        'matmul',
        /`b`/,
        /\[\]/,
      );
    });

    it('concat: other dimensions that differ, and mixed dtypes', () => {
      expectKernelError(
        () => ctx.be.concat([f32(ctx.be, [2, 3]), f32(ctx.be, [2, 4])], 0),
        'concat',
        /\[2, 3\]/,
        /\[2, 4\]/,
      );
      expectKernelError(
        () => ctx.be.concat([f32(ctx.be, [2, 3]), f32(ctx.be, [2, 3, 1])], 0),
        'concat',
        /\[2, 3\]/,
        /\[2, 3, 1\]/,
      );
      expectKernelError(
        () => ctx.be.concat([f32(ctx.be, [2]), i32(ctx.be, [2])], 0),
        'concat',
        /float32/,
        /int32/,
      );
      expectKernelError(() => ctx.be.concat([], 0), 'concat', /`xs`/);
    });

    it('reshape and broadcastTo: shapes that do not fit', () => {
      expectKernelError(
        () => ctx.be.reshape(f32(ctx.be, [2, 3]), [4]),
        'reshape',
        /\[2, 3\]/,
        /\[4\]/,
      );
      expectKernelError(
        () => ctx.be.broadcastTo(f32(ctx.be, [2, 3]), [4, 3]),
        'broadcastTo',
        /\[2, 3\]/,
        /\[4, 3\]/,
      );
      expectKernelError(
        () => ctx.be.broadcastTo(f32(ctx.be, [2, 3]), [3]),
        'broadcastTo',
        /\[2, 3\]/,
        /\[3\]/,
      );
    });

    it('slice: bounds out of range, limit before start, wrong counts', () => {
      expectKernelError(() => ctx.be.slice(f32(ctx.be, [4, 5]), [0, 0], [5, 5]), 'slice', /5/, /4/);
      expectKernelError(() => ctx.be.slice(f32(ctx.be, [4, 5]), [3, 0], [2, 5]), 'slice', /3/, /2/);
      expectKernelError(() => ctx.be.slice(f32(ctx.be, [4, 5]), [0], [4]), 'slice', /`start`/);
      expectKernelError(
        () => ctx.be.slice(f32(ctx.be, [4]), [0], [4], [0]),
        'slice',
        /`strides`/,
        /0/,
      );
    });

    it('scatterAdd: updates not shaped as gather would return', () => {
      const idx = i32(ctx.be, [3]);
      expectKernelError(
        () => ctx.be.scatterAdd(f32(ctx.be, [2, 4]), idx, 1, 5),
        'scatterAdd',
        /`updates`/,
        /\[2, 4\]/,
        /\[3\]/,
      );
    });

    it('upload: data of the wrong length or type', () => {
      expectKernelError(
        () => ctx.be.upload(new Float32Array(5), [2, 3]),
        'upload',
        /`data`/,
        /5/,
        /\[2, 3\]/,
        /6/,
      );
      expectKernelError(
        () => ctx.be.upload(new Float64Array(2) as unknown as Float32Array, [2]),
        'upload',
        /`data`/,
        /Float64Array/,
      );
      expectKernelError(
        () => ctx.be.upload([1, 2] as unknown as Float32Array, [2]),
        'upload',
        /`data`/,
      );
    });
  });

  describe('bad axes', () => {
    it('out of range', () => {
      const x = f32(ctx.be, [2, 3, 4]);
      expectKernelError(() => ctx.be.reduce('sum', x, [3]), REDUCE, /`axes`/, /3/);
      expectKernelError(() => ctx.be.reduce('max', x, [-4]), REDUCE, /`axes`/, /-4/);
      expectKernelError(() => ctx.be.argReduce('argmax', x, 3), 'argmax', /`axis`/, /3/);
      expectKernelError(() => ctx.be.argReduce('argmin', x, -4), 'argmin', /`axis`/, /-4/);
      expectKernelError(() => ctx.be.cumsum(x, 5), 'cumsum', /`axis`/, /5/);
      expectKernelError(() => ctx.be.concat([x, x], 3), 'concat', /`axis`/, /3/);
      expectKernelError(() => ctx.be.gather(x, i32(ctx.be, [2]), 3), 'gather', /`axis`/, /3/);
      expectKernelError(
        () => ctx.be.scatterAdd(f32(ctx.be, [2]), i32(ctx.be, [2]), 1, 4),
        'scatterAdd',
        /`axis`/,
        /1/,
      );
      expectKernelError(() => ctx.be.iota([2, 3], 2, 'int32'), 'iota', /`axis`/, /2/);
    });

    it('repeated', () => {
      expectKernelError(
        () => ctx.be.reduce('sum', f32(ctx.be, [2, 3, 4]), [0, -3]),
        REDUCE,
        /`axes`/,
        /0/,
      );
      expectKernelError(
        () => ctx.be.transpose(f32(ctx.be, [2, 3]), [0, 0]),
        'transpose',
        /`perm`/,
        /\[0, 0\]/,
      );
    });

    it('not integers, or not a permutation', () => {
      expectKernelError(
        () => ctx.be.reduce('sum', f32(ctx.be, [2, 3]), [0.5]),
        REDUCE,
        /`axes`/,
        /0\.5/,
      );
      expectKernelError(() => ctx.be.cumsum(f32(ctx.be, [2, 3]), 1.5), 'cumsum', /`axis`/, /1\.5/);
      expectKernelError(
        () => ctx.be.transpose(f32(ctx.be, [2, 3]), [0, 1, 2]),
        'transpose',
        /`perm`/,
        /\[0, 1, 2\]/,
      );
      expectKernelError(
        () => ctx.be.transpose(f32(ctx.be, [2, 3]), [1, 2]),
        'transpose',
        /`perm`/,
        /\[1, 2\]/,
      );
    });

    it('argReduce along an empty axis', () => {
      expectKernelError(
        () => ctx.be.argReduce('argmax', f32(ctx.be, [2, 0]), 1),
        'argmax',
        /\[2, 0\]/,
      );
    });
  });

  describe('negative or non-integer sizes', () => {
    it('full, iota and upload shapes', () => {
      expectKernelError(() => ctx.be.full([2, -1], 0, 'float32'), 'full', /`shape`/, /-1/);
      expectKernelError(() => ctx.be.full([2.5], 0, 'float32'), 'full', /`shape`/, /2\.5/);
      expectKernelError(() => ctx.be.iota([-3], 0, 'int32'), 'iota', /`shape`/, /-3/);
      expectKernelError(
        () => ctx.be.upload(new Float32Array(0), [0, -1]),
        'upload',
        /`shape`/,
        /-1/,
      );
      expectKernelError(() => ctx.be.reshape(f32(ctx.be, [2, 3]), [-2, -3]), 'reshape', /-2/);
    });

    it('pad amounts', () => {
      const x = f32(ctx.be, [2, 3]);
      expectKernelError(() => ctx.be.pad(x, [-1, 0], [0, 0], 0), 'pad', /`lo`/, /-1/);
      expectKernelError(() => ctx.be.pad(x, [0, 0], [0, -2], 0), 'pad', /`hi`/, /-2/);
      expectKernelError(() => ctx.be.pad(x, [0, 0], [0, 0], 0, [0, -1]), 'pad', /`interior`/, /-1/);
      expectKernelError(() => ctx.be.pad(x, [0], [0, 0], 0), 'pad', /`lo`/);
    });

    it('scatterAdd size', () => {
      expectKernelError(
        () => ctx.be.scatterAdd(f32(ctx.be, [2]), i32(ctx.be, [2]), 0, -1),
        'scatterAdd',
        /`size`/,
        /-1/,
      );
    });
  });

  describe('wrong dtypes', () => {
    const unaryRefused = Object.entries(UNARY_OPS).flatMap(([op, spec]) =>
      DTYPES.filter((d) => !(d in spec.js)).map((d) => [op as UnaryOp, d] as const),
    );
    it.each(unaryRefused)('unary %s refuses %s', (op, dtype) => {
      expectKernelError(
        () => ctx.be.unary(op, of(ctx.be, [2], dtype)),
        op,
        /`x`/,
        new RegExp(dtype),
      );
    });

    const binaryRefused = Object.entries(BINARY_OPS).flatMap(([op, spec]) =>
      DTYPES.filter((d) => !(d in spec.js)).map((d) => [op as BinaryOp, d] as const),
    );
    it.each(binaryRefused)('binary %s refuses %s', (op, dtype) => {
      expectKernelError(
        () => ctx.be.binary(op, of(ctx.be, [2], dtype), of(ctx.be, [2], dtype)),
        op,
        new RegExp(dtype),
      );
    });

    it('binary with operands of two dtypes', () => {
      expectKernelError(
        () => ctx.be.binary('add', f32(ctx.be, [2]), i32(ctx.be, [2])),
        'add',
        /float32/,
        /int32/,
      );
      expectKernelError(
        () => ctx.be.binary('eq', bool(ctx.be, [2]), i32(ctx.be, [2])),
        'eq',
        /bool/,
        /int32/,
      );
    });

    it('where with a non-bool condition or mixed branches', () => {
      expectKernelError(
        () => ctx.be.where(f32(ctx.be, [2]), f32(ctx.be, [2]), f32(ctx.be, [2])),
        'where',
        /`cond`/,
        /float32/,
      );
      expectKernelError(
        () => ctx.be.where(bool(ctx.be, [2]), f32(ctx.be, [2]), i32(ctx.be, [2])),
        'where',
        /float32/,
        /int32/,
      );
    });

    it('matmul on int32 and bool', () => {
      expectKernelError(
        () => ctx.be.matmul(i32(ctx.be, [2, 2]), i32(ctx.be, [2, 2])),
        'matmul',
        /int32/,
        /float32/,
      );
      expectKernelError(
        () => ctx.be.matmul(f32(ctx.be, [2, 2]), bool(ctx.be, [2, 2])),
        'matmul',
        /`b`/,
        /bool/,
      );
    });

    it('conv and pool on int32', () => {
      expectKernelError(
        () => ctx.be.conv(i32(ctx.be, [1, 1, 3]), f32(ctx.be, [1, 1, 2])),
        'conv',
        /`x`/,
        /int32/,
      );
      expectKernelError(
        () => ctx.be.pool('max', i32(ctx.be, [1, 1, 4]), { window: [2] }),
        'pool',
        /`x`/,
        /int32/,
      );
    });

    it('gather with float indices, reduce and bitcast of bool', () => {
      expectKernelError(
        () => ctx.be.gather(f32(ctx.be, [3]), f32(ctx.be, [2]), 0),
        'gather',
        /`indices`/,
        /float32/,
        /int32/,
      );
      expectKernelError(
        () => ctx.be.scatterAdd(f32(ctx.be, [2]), f32(ctx.be, [2]), 0, 3),
        'scatterAdd',
        /`indices`/,
        /float32/,
      );
      expectKernelError(() => ctx.be.reduce('sum', bool(ctx.be, [2]), [0]), REDUCE, /bool/);
      expectKernelError(() => ctx.be.bitcast(bool(ctx.be, [2]), 'int32'), 'bitcast', /bool/);
    });

    it('unknown dtypes and ops', () => {
      expectKernelError(() => ctx.be.cast(f32(ctx.be, [2]), 'float64' as DType), 'cast', /float64/);
      expectKernelError(() => ctx.be.full([2], 0, 'float16' as DType), 'full', /float16/);
      expectKernelError(
        () => ctx.be.bitcast(f32(ctx.be, [2]), 'bool' as 'int32'),
        'bitcast',
        /bool/,
      );
      expectKernelError(() => ctx.be.unary('cube' as UnaryOp, f32(ctx.be, [2])), 'cube', /unary/);
    });
  });

  describe('bad convolution and pooling options', () => {
    const x1 = () => f32(ctx.be, [1, 4, 6]);
    const w1 = () => f32(ctx.be, [2, 4, 3]);

    it('groups that do not divide the channels, or are not positive integers', () => {
      expectKernelError(
        () => ctx.be.conv(f32(ctx.be, [1, 3, 5]), f32(ctx.be, [4, 1, 3]), { groups: 2 }),
        'conv',
        /`groups`/,
        /2/,
        /3/,
      );
      expectKernelError(
        () => ctx.be.conv(x1(), f32(ctx.be, [3, 2, 3]), { groups: 2 }),
        'conv',
        /`groups`/,
        /3/,
      );
      expectKernelError(() => ctx.be.conv(x1(), w1(), { groups: 0 }), 'conv', /`groups`/, /0/);
      expectKernelError(() => ctx.be.conv(x1(), w1(), { groups: 1.5 }), 'conv', /`groups`/, /1\.5/);
    });

    it('input and filter ranks and channel counts', () => {
      expectKernelError(
        () => ctx.be.conv(f32(ctx.be, [3, 4]), f32(ctx.be, [2, 3])),
        'conv',
        /\[3, 4\]/,
      );
      expectKernelError(
        () => ctx.be.conv(f32(ctx.be, [1, 1, 2, 2, 2, 2]), f32(ctx.be, [1, 1, 1, 1, 1, 1])),
        'conv',
        /\[1, 1, 2, 2, 2, 2\]/,
      );
      expectKernelError(
        () => ctx.be.conv(x1(), f32(ctx.be, [2, 4, 3, 3])),
        'conv',
        /\[2, 4, 3, 3\]/,
        /\[1, 4, 6\]/,
      );
      expectKernelError(
        () => ctx.be.conv(x1(), f32(ctx.be, [2, 3, 3])),
        'conv',
        /\[2, 3, 3\]/,
        /4/,
      );
    });

    it('padding, strides and dilation', () => {
      expectKernelError(
        () => ctx.be.conv(x1(), w1(), { padding: 'FULL' as 'SAME' }),
        'conv',
        /`padding`/,
        /FULL/,
      );
      expectKernelError(
        () =>
          ctx.be.conv(x1(), w1(), {
            padding: [
              [1, 1],
              [1, 1],
            ],
          }),
        'conv',
        /`padding`/,
      );
      expectKernelError(
        () => ctx.be.conv(x1(), w1(), { padding: [[-1, 0]] }),
        'conv',
        /`padding`/,
        /-1/,
      );
      expectKernelError(() => ctx.be.conv(x1(), w1(), { strides: [0] }), 'conv', /`strides`/, /0/);
      expectKernelError(
        () => ctx.be.conv(x1(), w1(), { strides: [1, 1] }),
        'conv',
        /`strides`/,
        /\[1, 1\]/,
      );
      expectKernelError(
        () => ctx.be.conv(x1(), w1(), { dilation: [-1] }),
        'conv',
        /`dilation`/,
        /-1/,
      );
    });

    it('backward kernels: dy or the requested shape not matching', () => {
      expectKernelError(
        () => ctx.be.convBackwardInput(f32(ctx.be, [1, 2, 5]), w1(), [1, 4, 6]),
        'convBackwardInput',
        /`dy`/,
        /\[1, 2, 4\]/,
        /\[1, 2, 5\]/,
      );
      expectKernelError(
        () => ctx.be.convBackwardInput(f32(ctx.be, [1, 2, 4]), w1(), [1, 4]),
        'convBackwardInput',
        /\[1, 4\]/,
      );
      expectKernelError(
        () => ctx.be.convBackwardFilter(x1(), f32(ctx.be, [1, 3, 4]), [2, 4, 3]),
        'convBackwardFilter',
        /`dy`/,
        /\[1, 2, 4\]/,
        /\[1, 3, 4\]/,
      );
      expectKernelError(
        () => ctx.be.convBackwardFilter(x1(), f32(ctx.be, [1, 2, 4]), [2, 4, -3]),
        'convBackwardFilter',
        /-3/,
      );
    });

    it('pool windows, strides, padding and input rank', () => {
      const x = f32(ctx.be, [1, 2, 4, 4]);
      expectKernelError(() => ctx.be.pool('max', x, { window: [2] }), 'pool', /`window`/, /\[2\]/);
      expectKernelError(() => ctx.be.pool('avg', x, { window: [2, 0] }), 'pool', /`window`/, /0/);
      expectKernelError(
        () => ctx.be.pool('max', x, { window: [2, 2], strides: [0, 1] }),
        'pool',
        /`strides`/,
        /0/,
      );
      expectKernelError(
        () => ctx.be.pool('max', x, { window: [2, 2], padding: [[0, 0]] }),
        'pool',
        /`padding`/,
      );
      expectKernelError(
        () => ctx.be.pool('max', f32(ctx.be, [4, 4]), { window: [2] }),
        'pool',
        /\[4, 4\]/,
      );
      expectKernelError(
        () => ctx.be.pool('sum' as 'max', x, { window: [2, 2] }),
        'pool',
        /`op`/,
        /sum/,
      );
      expectKernelError(
        () => ctx.be.poolBackward('max', f32(ctx.be, [1, 2, 3, 3]), x, { window: [2, 2] }),
        'poolBackward',
        /`dy`/,
        /\[1, 2, 2, 2\]/,
        /\[1, 2, 3, 3\]/,
      );
    });
  });

  describe('arrays the backend does not own', () => {
    it('refuses arrays of another instance of the same backend, naming the argument', async () => {
      const other = await ctx.other();
      const foreign = other.full([2, 2], 1, 'float32');
      const mine = f32(ctx.be, [2, 2]);
      const cases: [() => unknown, string | readonly string[], string][] = [
        [() => ctx.be.unary('exp', foreign), 'exp', 'x'],
        [() => ctx.be.binary('add', mine, foreign), 'add', 'b'],
        [() => ctx.be.where(bool(ctx.be, [2, 2]), foreign, mine), 'where', 'a'],
        [() => ctx.be.reduce('sum', foreign, [0]), REDUCE, 'x'],
        [() => ctx.be.reshape(foreign, [4]), 'reshape', 'x'],
        [() => ctx.be.concat([mine, foreign], 0), 'concat', 'xs\\[1\\]'],
        [() => ctx.be.matmul(mine, foreign), 'matmul', 'b'],
        [() => ctx.be.gather(mine, other.full([1], 0, 'int32'), 0), 'gather', 'indices'],
        [
          () => ctx.be.readSync?.(foreign) ?? ctx.be.release(foreign),
          ctx.be.readSync ? 'read' : 'release',
          'x',
        ],
      ];
      for (const [fn, kernel, argument] of cases) {
        expectKernelError(fn, kernel, new RegExp(`\`${argument}\``), /backend/);
      }
      await expect(ctx.be.read(foreign)).rejects.toThrow(KernelError);
    });

    it('refuses things that are not arrays at all', () => {
      const fake = {
        shape: [2],
        dtype: 'float32',
        size: 2,
        backend: ctx.be,
      } as unknown as BackendArray;
      expectKernelError(() => ctx.be.unary('neg', fake), 'neg', /`x`/);
      expectKernelError(
        () => ctx.be.cast(null as unknown as BackendArray, 'int32'),
        'cast',
        /`x`/,
        /null/,
      );
    });
  });

  describe('released arrays', () => {
    it('refuses them everywhere, naming the argument', async () => {
      const x = f32(ctx.be, [2, 2]);
      ctx.be.release(x);
      expectKernelError(
        () => ctx.be.binary('mul', f32(ctx.be, [2, 2]), x),
        'mul',
        /`b`/,
        /released/,
      );
      expectKernelError(() => ctx.be.transpose(x, [1, 0]), 'transpose', /`x`/, /released/);
      expectKernelError(() => ctx.be.conv(f32(ctx.be, [1, 1, 3]), x), 'conv', /`w`/, /released/);
      await expect(ctx.be.read(x)).rejects.toThrow(/released/);
    });
  });
});

describe('the cpu singleton', () => {
  it('refuses arrays of a new CpuBackend()', () => {
    const other = new CpuBackend();
    expectKernelError(
      () => cpu.unary('neg', other.full([2], 1, 'float32')),
      'neg',
      /`x`/,
      /another cpu backend/,
    );
  });
});
