import { existsSync } from 'node:fs';
import preset from '../../jest.preset.js';

// The WebGPU tests run on Dawn, which finds its Vulkan driver through this variable (see the kernels'
// jest config); set in the parent process so that the native module sees it.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
}

export default { ...preset, displayName: 'equinox-ts', testTimeout: 60_000 };
