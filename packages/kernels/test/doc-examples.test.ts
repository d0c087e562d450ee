// Every ```ts example in this package's TSDoc comments and README runs, and the values it claims hold.
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as kernels from '../src/index.js';
import * as gpujs from '../src/gpujs/index.js';
import { dawn, webgpuWanted } from './conformance/gpu-availability.js';

// The WebGPU examples are written for browsers (navigator.gpu); here Dawn stands in for it. Devices
// they make are left to the end of the process.
if (webgpuWanted()) {
  (globalThis as { navigator?: unknown }).navigator = { gpu: dawn().create([]) };
}

describeDocExamples({
  root: join(__dirname, '..'),
  // The gpu.js backend is a subpath of its own; its examples see its exports too.
  namespace: { ...kernels, ...gpujs },
  namespaceName: 'kernels',
  minClaims: 30,
});
