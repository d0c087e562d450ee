/**
 * Whether the GPU backends' conformance runs here, and how their backends are made in Node. In CI they
 * always run (a backend that cannot start fails its tests); elsewhere they run when a Vulkan driver is
 * installed (Chromium's SwiftShader, as CI installs it), and otherwise are left out with a loud warning.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WebGpuBackend } from '../../src/webgpu/backend.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** True when the WebGPU conformance entry should run. */
export function webgpuWanted(): boolean {
  if (process.env.CI) return true;
  if (process.env.VK_ICD_FILENAMES || existsSync(SWIFTSHADER)) return true;
  console.warn(
    "\n*** WebGPU conformance tests are SKIPPED: no Vulkan driver here. Install Debian's chromium and " +
      'libvulkan1 (as .ci/run does) to run them. In CI they always run. ***\n',
  );
  return false;
}

interface Dawn {
  create: (flags: string[]) => GPU;
  globals: Record<string, unknown>;
}

let loaded: Dawn | undefined;

/**
 * Dawn's Node binding. The `webgpu` package is ES modules only, which jest's CommonJS runtime cannot
 * import, so its native module is loaded directly, as the package's own index does.
 */
export function dawn(): Dawn {
  if (!loaded) {
    const load = createRequire(__filename);
    const root = dirname(load.resolve('webgpu/package.json'));
    const arch = process.platform === 'darwin' ? 'universal' : process.arch;
    loaded = load(join(root, 'dist', `${process.platform}-${arch}`, 'dawn.node')) as Dawn;
    Object.assign(globalThis, loaded.globals);
  }
  return loaded;
}

/** A WebGPU backend on Dawn (the `webgpu` package), with SwiftShader when no other driver is set. */
export async function createWebGpu(): Promise<WebGpuBackend> {
  return WebGpuBackend.create({ gpu: dawn().create([]) });
}
