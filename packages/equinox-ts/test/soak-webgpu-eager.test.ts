// Soak test on the WebGPU backend (Dawn over SwiftShader in Node), eager: 5,000 Adam steps in flat
// memory (see test/soak/soak.ts). The slowest case: each step runs dozens of kernels, each a fraction
// of a millisecond on SwiftShader; on a 2-core machine shared with other jobs the 5,100 steps took
// 131 s (190 s under heavier load), hence a file of its own.
import { dawn, webgpuWanted } from '../../kernels/test/conformance/gpu-availability.js';
import { setBackend } from '../src/index.js';
import { describeSoak } from './soak/soak.js';

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a WebGPU that cannot start fails the test.
if (webgpuWanted()) {
  describeSoak('webgpu', () => setBackend('webgpu', { gpu: dawn().create([]) }), 'eager', {
    warmup: 100,
    timeout: 480_000,
  });
} else {
  test.skip('soak on webgpu (no Vulkan driver here)', () => {});
}
