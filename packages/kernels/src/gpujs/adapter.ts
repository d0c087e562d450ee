/**
 * The one file that talks to gpu.js. Its type declarations are loose (kernels return `KernelOutput`,
 * a union of numbers, nested arrays and textures), so everything here is narrowed to what this backend
 * uses: kernels from generated source, 1-D float32 results, and textures kept between kernels.
 */
import { GPU } from 'gpu.js';
import { KernelError } from '../errors.js';
import { helperSources } from './helpers.js';

/**
 * Where gpu.js runs: `cpu` (plain JavaScript, any environment) or `webgl2` (a browser's GPU).
 *
 * @example
 * ```ts
 * const mode: GpuJsMode = 'cpu';
 * new GpuJsBackend({ mode }).name; // 'gpujs'
 * ```
 */
export type GpuJsMode = 'cpu' | 'webgl2';

/** A float32 result kept where gpu.js made it: a texture in WebGL (pipeline mode), not yet read. */
export interface DeviceTexture {
  readonly kind: 'texture';
}

/** What a gpu.js kernel takes as an array: host elements, or a texture of an earlier kernel. */
export type KernelInput = Float32Array | Int32Array | Uint8Array | DeviceTexture | number;

/** What gpu.js's texture objects offer, as far as this backend uses them. */
interface GpuJsTexture {
  toArray(): unknown;
  delete(): void;
}

/** gpu.js's way to put source before every kernel, missing from its type declarations. */
interface GpuJsInjection {
  injectNative(source: string): void;
}

type CompiledKernel = ((...args: unknown[]) => unknown) & { setOutput(output: number[]): void };

/** Past this many elements a flat index is no longer exact in float32 arithmetic (WebGL's). */
const EXACT_FLOAT_INDEX = 2 ** 24;

/**
 * A gpu.js instance with its kernel cache. Kernels are generated source strings with every size
 * baked in, so each (source, input kinds) pair is compiled once and reused.
 */
export class GpuJsRuntime {
  private readonly gpu: GPU;
  private readonly kernels = new Map<string, CompiledKernel>();
  private readonly textures = new WeakSet<object>();
  /** The largest result or input a kernel handles (WebGL: texture size and exact float indices). */
  readonly maxElements: number;
  /**
   * The most arrays one kernel reads: each is a texture, and WebGL2 guarantees 16 texture units (a fused
   * program with more inputs is split: see fused-split.ts). Unbounded in `cpu` mode.
   */
  readonly maxInputs: number;

  constructor(readonly mode: GpuJsMode) {
    this.gpu = new GPU({ mode });
    const helpers = helperSources(mode);
    // The GLSL is defined once before every kernel; each function is also declared as a native, so
    // that gpu.js knows its types (a second declaration is valid GLSL).
    if (helpers.glsl !== null) (this.gpu as unknown as GpuJsInjection).injectNative(helpers.glsl);
    for (const [name, declaration] of helpers.natives)
      this.gpu.addNativeFunction(name, declaration);
    for (const source of helpers.functions) this.gpu.addFunction(source as never);
    this.maxInputs = mode === 'cpu' ? Infinity : 16;
    if (mode === 'cpu') this.maxElements = Number.MAX_SAFE_INTEGER;
    else {
      const side = (this.gpu as unknown as { Kernel?: { features?: { maxTextureSize?: number } } })
        .Kernel?.features?.maxTextureSize;
      this.maxElements = Math.min(EXACT_FLOAT_INDEX, (side ?? 4096) ** 2);
    }
  }

  /** True where gpu.js can use WebGL2 (a browser with a GPU); false in Node without `gl`. */
  static webgl2Available(): boolean {
    return GPU.isWebGL2Supported;
  }

  /** True for a texture made by a kernel of this runtime. */
  isTexture(data: unknown): data is DeviceTexture {
    return typeof data === 'object' && data !== null && this.textures.has(data);
  }

  /**
   * Runs the kernel `source` (a `function (in0, in1, ...)` returning the element at `this.thread.x`)
   * for `size` results. Returns a Float32Array in `cpu` mode and a texture in `webgl2` mode.
   */
  run(
    kernel: string,
    source: string,
    size: number,
    inputs: readonly KernelInput[],
  ): Float32Array | DeviceTexture {
    for (const n of [
      size,
      ...inputs.map((x) => (typeof x === 'number' || this.isTexture(x) ? 0 : x.length)),
    ]) {
      if (n > this.maxElements) {
        throw new KernelError(
          kernel,
          `an array of ${n} elements is more than gpu.js (${this.mode}) can index exactly ` +
            `(${this.maxElements}); split the work into smaller arrays`,
        );
      }
    }
    if (size === 0) return new Float32Array(0);
    // gpu.js refuses empty arrays; an empty input is never read, so one element stands in for it.
    const args = inputs.map((x) =>
      typeof x === 'number' || this.isTexture(x) || x.length > 0 ? x : new Float32Array(1),
    );
    const kind = (x: KernelInput): string =>
      typeof x === 'number' ? 'n' : this.isTexture(x) ? 't' : x.constructor.name;
    const key = `${args.map(kind).join(',')}|${source}`;
    let compiled = this.kernels.get(key);
    if (compiled === undefined) {
      // Typed through unknown: gpu.js types a kernel's arguments as DOM images and arrays where the DOM
      // library is loaded (ours are arrays and textures), and as anything where it is not.
      const made: unknown = this.gpu.createKernel(source, {
        output: [size],
        pipeline: true,
        immutable: true,
        dynamicOutput: true,
        // One compiled kernel serves inputs of every size (its source fixes the shapes it reads): without
        // this, WebGL keeps the input textures of the first call's size.
        dynamicArguments: true,
        precision: 'single',
        tactic: 'precision',
      });
      compiled = made as CompiledKernel;
      this.kernels.set(key, compiled);
    }
    compiled.setOutput([size]);
    const result = compiled(...args);
    if (result instanceof Float32Array) return result;
    this.textures.add(result as object);
    return result as DeviceTexture;
  }

  /** The elements of a kernel result, on the host. */
  read(data: Float32Array | DeviceTexture): Float32Array {
    if (data instanceof Float32Array) return data;
    const values = (data as unknown as GpuJsTexture).toArray();
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }

  /** Frees a texture now rather than at garbage collection; host arrays need nothing. */
  free(data: unknown): void {
    if (this.isTexture(data)) (data as unknown as GpuJsTexture).delete();
  }
}
