// Soak test on the WebGPU backend (Dawn over SwiftShader in Node), jitted with donation: 5,000 Adam
// steps in flat memory (see test/soak/soak.ts). On a 2-core machine shared with other jobs the 5,150
// steps took 46 to 122 s.
import { dawn, webgpuWanted } from '../../kernels/test/conformance/gpu-availability.js';
import { setBackend } from '../src/index.js';
import { describeSoak } from './soak/soak.js';

// Skipped only off CI on a machine without a Vulkan driver, after webgpuWanted() has printed a loud
// warning; in CI webgpuWanted() is always true, so a WebGPU that cannot start fails the test.
if (webgpuWanted()) {
  describeSoak('webgpu', () => setBackend('webgpu', { gpu: dawn().create([]) }), 'jit', {
    warmup: 150,
    timeout: 300_000,
  });
} else {
  test.skip('soak on webgpu (no Vulkan driver here)', () => {});
}
