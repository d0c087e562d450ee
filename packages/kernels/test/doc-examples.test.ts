// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as kernels from '../src/index.js';
import * as gpujs from '../src/gpujs/index.js';
import * as webgpu from '../src/webgpu/index.js';
import { dawn, webgpuWanted } from './conformance/gpu-availability.js';

// The WebGPU examples are written for browsers (navigator.gpu); here Dawn stands in for it. Devices
// they make are left to the end of the process.
if (webgpuWanted()) {
  (globalThis as { navigator?: unknown }).navigator = { gpu: dawn().create([]) };
}

describeDocExamples({
  root: join(__dirname, '..'),
  // The WebGPU and gpu.js backends are subpaths of their own; their examples see their exports too.
  namespace: { ...kernels, ...gpujs, ...webgpu },
  namespaceName: 'kernels',
  minClaims: 30,
});
