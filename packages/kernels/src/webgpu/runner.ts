/// <reference types="@webgpu/types" />
/**
 * Runs kernels: compiles each WGSL program once (pipelines cached by a key naming the variant), binds
 * inputs (as scalars, or as vec4s where a launch asks), outputs and an integer parameter list, and
 * records the dispatches into one command encoder, submitted when results are read, when data is
 * uploaded, or every few dozen dispatches.
 */
import type { DType } from '../dtype.js';
import { elementBytes } from '../dtype.js';
import type { Backend } from '../backend.js';
import { WebGpuArray } from './array.js';
import { BufferPool } from './buffers.js';
import { PRELUDE, STORAGE_TYPE } from './wgsl.js';

/** A kernel launch: which program, on what, with which integer parameters, over how many workgroups. */
export interface Launch {
  /** Names the program variant; launches with equal keys must have equal `code`. */
  key: string;
  /** The WGSL body (after the bindings); called only the first time a key is seen. */
  code: () => string;
  inputs: readonly WebGpuArray[];
  /**
   * Per input, elements per WGSL array element: 4 binds it as `array<vec4<T>>` (one load reads four
   * elements), for inputs whose size is a multiple of 4. Default 1 (`array<T>`). Part of the program, so
   * launches with equal keys must have equal lanes.
   */
  lanes?: readonly Lanes[];
  /** The outputs to allocate. */
  outputs: readonly { shape: readonly number[]; dtype: DType }[];
  /**
   * Existing arrays to write instead of allocating `outputs` (same count and dtypes), for kernels that
   * fill one result in several launches (concat writes each input into its part).
   */
  into?: readonly WebGpuArray[];
  /** Integer parameters, read in WGSL as `params[k]` (floats travel bitcast). */
  params?: readonly number[];
  /** Workgroups along x and y (and z). */
  groups: readonly [number, number?, number?];
}

/** Elements per WGSL array element of a bound input: a scalar or a vec4 view of the same buffer. */
export type Lanes = 1 | 4;

/** Dispatches recorded before a submission is forced. */
const BATCH = 32;

export class Runner {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private recorded = 0;
  /** Launches so far, for tests. */
  launches = 0;

  constructor(
    readonly device: GPUDevice,
    private readonly backend: Backend,
  ) {
    this.pool = new BufferPool(device);
  }

  /** A new array of `shape` and `dtype` in a pooled buffer (contents undefined). */
  allocate(shape: readonly number[], dtype: DType): WebGpuArray {
    const size = shape.reduce((a, b) => a * b, 1);
    // bool is stored as 4 bytes per element on the GPU.
    const bytes = size * (dtype === 'bool' ? 4 : elementBytes(dtype));
    return new WebGpuArray(this.backend, shape, dtype, this.pool.acquire(bytes), this.pool);
  }

  /** A new array viewing `x`'s buffer with another shape of the same size. */
  view(x: WebGpuArray, shape: readonly number[]): WebGpuArray {
    x.shared.users++;
    return new WebGpuArray(this.backend, shape, x.dtype, x.shared, this.pool);
  }

  private pipeline(launch: Launch): GPUComputePipeline {
    let pipeline = this.pipelines.get(launch.key);
    if (!pipeline) {
      const bindings = [
        ...launch.inputs.map(
          (x, i) =>
            `@group(0) @binding(${i}) var<storage, read> in${i}: array<${elementType(x.dtype, launch.lanes?.[i])}>;`,
        ),
        ...launch.outputs.map(
          (o, j) =>
            `@group(0) @binding(${launch.inputs.length + j}) var<storage, read_write> out${j}: array<${STORAGE_TYPE[o.dtype]}>;`,
        ),
        `@group(0) @binding(${launch.inputs.length + launch.outputs.length}) var<storage, read> params: array<i32>;`,
      ].join('\n');
      const module = this.device.createShaderModule({
        code: `${PRELUDE}\n${bindings}\n${launch.code()}`,
      });
      pipeline = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(launch.key, pipeline);
    }
    return pipeline;
  }

  /** Records one launch and returns its outputs. */
  run(launch: Launch): WebGpuArray[] {
    launch.lanes?.forEach((lanes, i) => checkLanes(launch.inputs[i]!, lanes, launch.key));
    const pipeline = this.pipeline(launch);
    const outputs = launch.into
      ? [...launch.into]
      : launch.outputs.map((o) => this.allocate(o.shape, o.dtype));
    const params = this.paramsBuffer(launch.params ?? []);
    const buffers = [
      ...launch.inputs.map((x) => x.buffer),
      ...outputs.map((x) => x.buffer),
      params.buffer,
    ];
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = this.recordingEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y = 1, z = 1] = launch.groups;
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.pool.drop(params);
    this.launches++;
    if (++this.recorded >= BATCH) this.flush();
    return outputs;
  }

  /** The parameters as a small storage buffer (at least one element: WGSL arrays cannot be empty). */
  private paramsBuffer(values: readonly number[]) {
    const data = new Int32Array(Math.max(1, values.length));
    data.set(values);
    // A pooled buffer is free only once the commands that used it were submitted, so nothing recorded
    // reads it: writing it now lands before the commands recorded next, which are submitted later.
    const shared = this.pool.acquire(data.byteLength);
    this.device.queue.writeBuffer(shared.buffer, 0, data);
    return shared;
  }

  /**
   * The command encoder being recorded, made if there is none. Tells the pool so: buffers freed from
   * now until the submission may be used by the recorded commands, so they wait for it.
   */
  private recordingEncoder(): GPUCommandEncoder {
    this.pool.recording = true;
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  /** Submits what has been recorded. */
  flush(): void {
    if (this.encoder !== null) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.recorded = 0;
    }
    this.pool.submitted();
  }

  /** Writes `data` into a new array (a fresh buffer: see paramsBuffer for why no flush is needed). */
  upload(data: ArrayBufferView, shape: readonly number[], dtype: DType): WebGpuArray {
    const out = this.allocate(shape, dtype);
    if (data.byteLength > 0)
      this.device.queue.writeBuffer(out.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return out;
  }

  /** The bytes of `x`'s elements, once every recorded command has run. */
  async readBytes(x: WebGpuArray): Promise<ArrayBuffer> {
    const bytes = x.size * 4;
    if (bytes === 0) return new ArrayBuffer(0);
    const staging = this.device.createBuffer({
      size: Math.ceil(bytes / 4) * 4,
      usage: 0x1 /* MAP_READ */ | 0x8 /* COPY_DST */,
    });
    const encoder = this.recordingEncoder();
    encoder.copyBufferToBuffer(x.buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(0x1 /* READ */);
      return staging.getMappedRange().slice(0);
    } finally {
      staging.destroy();
    }
  }
}

/** The WGSL type of one array element of an input of `dtype` bound with `lanes`. */
function elementType(dtype: DType, lanes: Lanes = 1): string {
  return lanes === 1 ? STORAGE_TYPE[dtype] : `vec${lanes}<${STORAGE_TYPE[dtype]}>`;
}

/**
 * Throws unless `x` can be bound as whole vectors of `lanes`: its elements must fill whole vectors, and
 * its buffer (bound whole) must hold a whole number of them and at least one (a binding's minimum size).
 * Pooled buffers are multiples of 16 bytes, at least 16, so this fails only on a kernel's misuse.
 */
function checkLanes(x: WebGpuArray, lanes: Lanes, key: string): void {
  const vectorBytes = lanes * 4;
  if (x.size % lanes !== 0 || x.shared.bytes % vectorBytes !== 0 || x.shared.bytes < vectorBytes) {
    throw new Error(
      `${key}: an input of ${x.size} elements in ${x.shared.bytes} bytes cannot be read as vectors of ${lanes}`,
    );
  }
}
