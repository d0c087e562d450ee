/**
 * The second bundler of scripts/bundle-size.mjs: Rolldown, which Vite 8 builds with, loaded through the
 * playground's Vite (the root has no copy of its own). Unlike esbuild it drops the unused members of a
 * namespace reached through a re-export (`nn.MLP` from the umbrella keeps only MLP and what it uses),
 * so a page built with Vite pays for what it calls. Same settings as the esbuild bundles: ESM, code
 * splitting, minified, browser; gzip level 9.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const VIRTUAL_ENTRY = '\0bundle-size-entry.js';

/** Rolldown and its version, resolved from the playground's Vite; throws a clear error without it. */
export async function loadRolldown(root) {
  try {
    const vite = realpathSync(join(root, 'apps/playground/node_modules/vite/package.json'));
    const fromVite = createRequire(vite);
    const packageFile = fromVite.resolve('rolldown/package.json');
    const { version } = createRequire(packageFile)('./package.json');
    const { rolldown } = await import(pathToFileURL(fromVite.resolve('rolldown')).href);
    return { rolldown, version };
  } catch (error) {
    throw new Error(
      `bundle-size: cannot load rolldown through apps/playground's vite (run pnpm install): ${String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Startup and with-WebGPU sizes (minified and gzipped bytes) of `source` bundled by Rolldown, its imports
 * resolved from `resolveDir` and `alias`. A chunk is WebGPU's when it holds a module `isWebGpu` accepts.
 */
export async function measureRolldown(rolldown, source, resolveDir, alias, isWebGpu) {
  const bundle = await rolldown({
    input: VIRTUAL_ENTRY,
    platform: 'browser',
    resolve: { alias },
    logLevel: 'silent',
    plugins: [
      {
        name: 'bundle-size-entry',
        // The entry's imports resolve as if it were a file in resolveDir.
        resolveId(id, importer) {
          if (id === VIRTUAL_ENTRY) return id;
          if (importer !== VIRTUAL_ENTRY) return null;
          return this.resolve(id, join(resolveDir, 'entry.js'), { skipSelf: true });
        },
        load: (id) => (id === VIRTUAL_ENTRY ? source : null),
      },
    ],
  });
  const { output } = await bundle.generate({ format: 'esm', minify: true });
  await bundle.close();
  const chunks = new Map(output.filter((c) => c.type === 'chunk').map((c) => [c.fileName, c]));
  const closure = (roots) => {
    const seen = new Set(roots);
    const queue = [...roots];
    while (queue.length > 0) {
      for (const next of chunks.get(queue.pop()).imports) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  };
  const startup = closure([...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName));
  const webgpu = [...chunks.values()]
    .filter((c) => !startup.has(c.fileName) && c.moduleIds.some(isWebGpu))
    .map((c) => c.fileName);
  const gz = (names) =>
    [...names].reduce(
      (total, name) => total + gzipSync(chunks.get(name).code, { level: 9 }).length,
      0,
    );
  return {
    min: [...startup].reduce((total, name) => total + chunks.get(name).code.length, 0),
    gz: gz(startup),
    withWebGpu: gz(new Set([...startup, ...closure(webgpu)])),
  };
}
