/**
 * The kernels of equinox-ts: the {@link Backend} interface that every backend implements, the
 * elementwise op table their kernels are generated from, shape helpers, and the CPU backend. The WebGPU
 * and gpu.js backends are subpaths of their own, `@equinox-ts/kernels/webgpu` and
 * `@equinox-ts/kernels/gpujs`, so that a bundle loads them only where they are started.
 *
 * Arrays are channel-first, as in Equinox: images are `[C, H, W]`, batches of them `[N, C, H, W]`.
 *
 * @example
 * ```ts
 * import { cpu } from '@equinox-ts/kernels';
 *
 * const x = cpu.upload(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const total = cpu.reduce('sum', x, [1]);
 * await cpu.read(total); // Float32Array [6, 15]
 * ```
 *
 * @packageDocumentation
 */
export type {
  ArgReduceOp,
  Backend,
  BackendArray,
  BackendMemory,
  FusedProgram,
  FusedStep,
  MatmulOptions,
  PoolOp,
  ReduceOp,
} from './backend.js';
export { CpuBackend, cpu } from './cpu/backend.js';
export { setArrayCounting } from './live-arrays.js';
export { allocData, dtypeOfData, type DataArray, type DataFor, type DType } from './dtype.js';
export { KernelError } from './errors.js';
export {
  BINARY_OPS,
  JS_HELPERS,
  UNARY_OPS,
  type BinaryOp,
  type OpSpec,
  type UnaryOp,
} from './ops.js';
export {
  broadcastShapes,
  contiguousStrides,
  normalizeAxes,
  normalizeAxis,
  sizeOf,
} from './shape.js';
export {
  convOutputShape,
  poolOutputShape,
  resolveConv,
  resolvePool,
  type ConvGeometry,
  type ConvOptions,
  type Padding,
  type PoolOptions,
  type WindowGeometry,
} from './spatial.js';
