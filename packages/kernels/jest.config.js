import { existsSync } from 'node:fs';
import preset from '../../jest.preset.js';

// The WebGPU tests run on Dawn, which finds its Vulkan driver through this variable when the machine
// has no GPU driver of its own. Set here, in the parent process, because jest's test sandboxes get a
// copy of the environment that native modules never see.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

// SwiftShader compiles each WebGPU pipeline in about a second, and a test may build several variants
// (matmul's four transpose options): on a loaded 2-core machine that passes jest's 5 s default.
export default { ...preset, displayName: 'kernels', testTimeout: 60_000 };
