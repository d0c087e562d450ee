/// <reference types="@webgpu/types" />
/**
 * Getting a GPU device: from `navigator.gpu` in browsers, or from a `GPU` object the caller passes (in
 * Node, the `webgpu` package's `create([])`). The device's loss is recorded, so every later call fails
 * with an error that says what happened and how to recover, instead of hanging.
 */
import { KernelError } from '../errors.js';

/**
 * Options of {@link WebGpuBackend.create}.
 *
 * @example
 * ```ts
 * // In Node: import { create, globals } from 'webgpu'; Object.assign(globalThis, globals);
 * const options: WebGpuOptions = { powerPreference: 'high-performance' };
 * options.powerPreference; // 'high-performance'
 * ```
 */
export interface WebGpuOptions {
  /** The WebGPU entry point. Default `navigator.gpu`; in Node pass the `webgpu` package's `create([])`. */
  gpu?: GPU;
  /** A device to use as it is (its adapter's limits apply). Default: a new one from `gpu`. */
  device?: GPUDevice;
  /** Which adapter to ask for. Default the platform's choice. */
  powerPreference?: GPUPowerPreference;
}

/** What a lost device left behind, for the errors of every later call. */
export interface LostState {
  reason: string;
  message: string;
}

function defaultGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/**
 * A device with the adapter's largest buffer limits, or a KernelError saying why there is none. Returns
 * the GPU object too: the caller keeps it alive as long as the device (Dawn's Node binding tears the
 * device down when its GPU object is garbage-collected).
 */
export async function requestDevice(
  options: WebGpuOptions,
): Promise<{ device: GPUDevice; gpu: GPU | undefined }> {
  if (options.device) return { device: options.device, gpu: options.gpu };
  const gpu = options.gpu ?? defaultGpu();
  if (!gpu) {
    throw new KernelError(
      'webgpu',
      'no WebGPU here: in a browser, use one with WebGPU enabled (navigator.gpu); in Node, install the ' +
        "`webgpu` package and pass its GPU: WebGpuBackend.create({ gpu: create([]) }) (import { create } from 'webgpu')",
    );
  }
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) {
    throw new KernelError(
      'webgpu',
      'the platform has WebGPU but offered no adapter (no usable GPU or driver; in Node on Linux without a ' +
        "GPU, point VK_ICD_FILENAMES at a software Vulkan driver such as Chromium's SwiftShader)",
    );
  }
  const { limits } = adapter;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  return { device, gpu };
}

/** The error every call throws once the device is lost. */
export function lostError(lost: LostState): KernelError {
  return new KernelError(
    'webgpu',
    `the GPU device was lost (${lost.reason}: ${lost.message || 'no message'}); its arrays are gone. ` +
      "Recover by creating a new backend (with the umbrella package, await setBackend('webgpu'); or " +
      'await WebGpuBackend.create(...) made the default) and reloading the model from its last checkpoint',
  );
}
