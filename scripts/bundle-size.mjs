/**
 * Measures what equinox-ts costs a browser page: bundles the umbrella from the built packages (`dist/`,
 * what users install) with esbuild for the browser (ESM, code splitting, minified, ES2022), gzips each
 * output at level 9 and prints a table. Entries: everything the umbrella exports (the worst case);
 * everything but `nn` and `optim` (jax-js's scope); and a typical training step, written once with names
 * from the umbrella and once with names from the packages.
 * Each entry is bundled twice: by esbuild, and by Rolldown (what Vite 8 builds with, see
 * bundle-rolldown.mjs), which drops the unused members of a namespace the umbrella re-exports.
 * The code a page loads at startup (the entry chunk and the chunks it imports statically) is reported
 * apart from the lazy chunks (loaded by a dynamic `import()`): the WebGPU backend's chunk, loaded when
 * WebGPU starts, and gpu.js's, loaded when it is chosen. "With WebGPU" adds the WebGPU chunk to startup:
 * what a page that trains on WebGPU downloads in all.
 *
 * Usage, after `pnpm build`: `node scripts/bundle-size.mjs [--check] [--peers]`. With `--check` it exits
 * non-zero when the full entry's startup code is over the budget gzipped. It always fails when a backend
 * that must be lazy (WebGPU, gpu.js) ends up in the startup code. With `--peers` it also bundles jax-js and
 * TensorFlow.js the same way, from the benchmark package's dev dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadRolldown, measureRolldown } from './bundle-rolldown.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const umbrella = join(root, 'packages/equinox-ts');

/** The issue's budget for the full entry's startup code, minified and gzipped. */
const BUDGET_GZ_BYTES = 80 * 1024;
const OUT_DIR = 'bundle-size-out';
/** The name esbuild gives the entry's source (it is read from stdin, not from a file). */
const ENTRY_FILE = 'entry.js';
/** Inputs that must never be in the startup code: gpu.js with our backend that wraps it, and WebGPU's. */
const LAZY_ONLY = {
  'gpu.js': [/node_modules\/gpu\.js\//, /packages\/kernels\/dist\/gpujs\//],
  WebGPU: [/packages\/kernels\/dist\/webgpu\//],
};
/** A module of a WebGPU backend: ours, or a peer's file named `webgpu*.js` (jax-js's lazy backend). */
const isWebGpuModule = (id) =>
  LAZY_ONLY.WebGPU.some((re) => re.test(id)) || /\/webgpu[^/]*\.js$/.test(id);

/** Our entries by name, bundled from the umbrella's folder. The first is the one with a budget. */
const ENTRIES = {
  full: `import * as eqx from 'equinox-ts';\nglobalThis.eqx = eqx;\n`,
  // jax-js's scope, to compare like with like: arrays, numpy, transformations, backends; no layers or
  // optimisers (jax-js ships those apart, as optax).
  'core (no nn, optim)': `
import * as pytree from '@equinox-ts/pytree';
import * as kernels from '@equinox-ts/kernels';
import * as autodiff from '@equinox-ts/autodiff';
// As setBackend does: WebGPU's code loads when it starts.
const startWebGpu = async () => (await import('@equinox-ts/kernels/webgpu')).WebGpuBackend.create();
globalThis.core = { pytree, kernels, autodiff, startWebGpu };
`,
  typical: `
import { nn, jax, jnp, optim, setBackend, filterJit, filterValueAndGrad, applyUpdates, random } from 'equinox-ts';

await setBackend('auto');
const model = new nn.MLP(2, 1, 16, 2, { key: random.key(0) });
const optimiser = optim.adam(1e-2);
const loss = (m, x, y) => jnp.mean(jnp.square(jax.vmap((xi) => m.call(xi))(x).sub(y)));
const step = filterJit((m, state, x, y) => {
  const [value, grads] = filterValueAndGrad(loss)(m, x, y);
  const [updates, next] = optimiser.update(grads, state, m);
  return [applyUpdates(m, updates), next, value];
});
const x = random.normal(random.key(1), [32, 2]);
const [trained, , value] = step(model, optimiser.init(model), x, jnp.zeros([32, 1]));
globalThis.result = { trained, value: await value.data() };
`,
  // The same step with names imported one by one from the packages: esbuild does not tree-shake a
  // namespace reached through a re-export (`nn.MLP` from the umbrella keeps all of `nn`).
  'typical, named': `
import { setBackend } from 'equinox-ts';
import { MLP } from '@equinox-ts/nn';
import { adam } from '@equinox-ts/optim';
import { applyUpdates, filterJit, filterValueAndGrad, numpy, random, vmap } from '@equinox-ts/autodiff';

await setBackend('auto');
const model = new MLP(2, 1, 16, 2, { key: random.key(0) });
const optimiser = adam(1e-2);
const loss = (m, x, y) => numpy.mean(numpy.square(vmap((xi) => m.call(xi))(x).sub(y)));
const step = filterJit((m, state, x, y) => {
  const [value, grads] = filterValueAndGrad(loss)(m, x, y);
  const [updates, next] = optimiser.update(grads, state, m);
  return [applyUpdates(m, updates), next, value];
});
const x = random.normal(random.key(1), [32, 2]);
const [trained, , value] = step(model, optimiser.init(model), x, numpy.zeros([32, 1]));
globalThis.result = { trained, value: await value.data() };
`,
};

/** The peers' entries, as close to ours as they allow: everything, with CPU and WebGPU backends. */
const PEERS = {
  'jax-js': {
    pkg: '@jax-js/jax',
    source: `import * as jax from '@jax-js/jax';\nglobalThis.jax = jax;\n`,
  },
  'tfjs core+cpu+webgpu': {
    pkg: '@tensorflow/tfjs-core',
    source:
      `import * as tf from '@tensorflow/tfjs-core';\nimport '@tensorflow/tfjs-backend-cpu';\n` +
      `import '@tensorflow/tfjs-backend-webgpu';\nglobalThis.tf = tf;\n`,
  },
};
const peersDir = join(root, 'bench');

/** A peer's installed version, or undefined when the benchmark package has not installed it. */
function peerVersion(pkg) {
  const file = join(peersDir, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

/** esbuild, from the kernels package that depends on it (the root has no copy of its own). */
function loadEsbuild() {
  const fromKernels = createRequire(join(root, 'packages/kernels/package.json'));
  try {
    return fromKernels('esbuild');
  } catch (error) {
    throw new Error(
      `bundle-size: cannot load esbuild from packages/kernels (run pnpm install): ${String(error)}`,
      { cause: error },
    );
  }
}

function assertBuilt() {
  const missing = ['pytree', 'kernels', 'autodiff', 'nn', 'optim', 'equinox-ts']
    .map((name) => join(root, 'packages', name, 'dist/index.js'))
    .filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `bundle-size: the packages are not built (missing ${missing.map((f) => relative(root, f)).join(', ')}); run pnpm build first`,
    );
  }
}

/** One browser bundle of `source`, in memory, resolving its imports from `resolveDir`. */
async function bundle(esbuild, source, resolveDir, minify) {
  return esbuild.build({
    stdin: { contents: source, resolveDir, sourcefile: ENTRY_FILE, loader: 'js' },
    // `equinox-ts` from inside its own folder: resolve it to what the package exports (dist/, not src/).
    alias: { 'equinox-ts': join(umbrella, 'dist/index.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    absWorkingDir: root,
    // Nothing is written (write: false); metafile paths are relative to the root, under this name.
    outdir: join(root, OUT_DIR),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

/** The output files reachable from `roots` by static imports (from the entry: what a page loads at startup). */
function staticClosure(metafile, roots) {
  const outputs = metafile.outputs;
  const seen = new Set(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const imported of outputs[queue.pop()].imports) {
      if (imported.kind === 'import-statement' && !imported.external && !seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  return seen;
}

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Sizes of one entry: startup code raw / minified / gzipped, the lazy chunks, and the biggest inputs. */
async function measure(esbuild, name, source, resolveDir = umbrella) {
  const raw = await bundle(esbuild, source, resolveDir, false);
  const min = await bundle(esbuild, source, resolveDir, true);
  // The entry is the output made from our source (the chunks of dynamic imports are entry points too).
  const entryOf = ({ outputs }) =>
    Object.keys(outputs).filter((path) => basename(outputs[path].entryPoint ?? '') === ENTRY_FILE);
  const rawStartup = staticClosure(raw.metafile, entryOf(raw.metafile));
  const minStartup = staticClosure(min.metafile, entryOf(min.metafile));
  // What starting WebGPU adds: its chunks and the shared chunks they import, beyond the startup code.
  const webgpuPaths = Object.keys(min.metafile.outputs).filter(
    (path) =>
      !minStartup.has(path) && Object.keys(min.metafile.outputs[path].inputs).some(isWebGpuModule),
  );
  const withWebGpu = new Set([...minStartup, ...staticClosure(min.metafile, webgpuPaths)]);
  const sum = (files, startup, size) =>
    files.filter((f) => startup.has(relative(root, f.path))).reduce((s, f) => s + size(f), 0);
  const startupInputs = {};
  for (const path of minStartup) {
    for (const [input, { bytesInOutput }] of Object.entries(min.metafile.outputs[path].inputs)) {
      startupInputs[input] = (startupInputs[input] ?? 0) + bytesInOutput;
    }
  }
  const lazy = min.outputFiles
    .filter((f) => !minStartup.has(relative(root, f.path)))
    .map((f) => ({
      file: relative(join(root, OUT_DIR), f.path),
      min: f.contents.length,
      gz: gzipSize(f.contents),
    }));
  return {
    name,
    raw: sum(raw.outputFiles, rawStartup, (f) => f.contents.length),
    min: sum(min.outputFiles, minStartup, (f) => f.contents.length),
    gz: sum(min.outputFiles, minStartup, (f) => gzipSize(f.contents)),
    withWebGpu: sum(min.outputFiles, withWebGpu, (f) => gzipSize(f.contents)),
    startupFiles: minStartup.size,
    lazy,
    startupInputs,
  };
}

/** Rolldown's sizes of every entry, in order: the second table. */
async function rolldownReport(results, sources) {
  const { rolldown, version } = await loadRolldown(root);
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`\nThe same entries bundled by Rolldown ${version} (Vite 8's bundler):\n`);
  console.log(`${'entry'.padEnd(width)} | startup min | startup gz | with WebGPU gz`);
  console.log(`${'-'.repeat(width)} | ----------- | ---------- | --------------`);
  for (const [i, r] of results.entries()) {
    const { source, resolveDir } = sources[i];
    const alias = { 'equinox-ts': join(umbrella, 'dist/index.js') };
    r.rolldown = await measureRolldown(rolldown, source, resolveDir, alias, isWebGpuModule);
    const { min, gz, withWebGpu } = r.rolldown;
    console.log(
      `${r.name.padEnd(width)} | ${kb(min).padStart(11)} | ${kb(gz).padStart(10)} | ${kb(withWebGpu).padStart(14)}`,
    );
  }
}

function printReport(results) {
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(
    `${'entry'.padEnd(width)} | startup raw | startup min | startup gz | with WebGPU gz | lazy chunks (min / gz)`,
  );
  console.log(
    `${'-'.repeat(width)} | ----------- | ----------- | ---------- | -------------- | ----------------------`,
  );
  for (const r of results) {
    const lazy = r.lazy.map((c) => `${c.file} ${kb(c.min)} / ${kb(c.gz)}`).join('; ') || '—';
    console.log(
      `${r.name.padEnd(width)} | ${kb(r.raw).padStart(11)} | ${kb(r.min).padStart(11)} | ${kb(r.gz).padStart(10)} | ${kb(r.withWebGpu).padStart(14)} | ${lazy}`,
    );
  }
  const full = results[0];
  console.log(`\nWhat the '${full.name}' startup code is made of (minified bytes, before gzip):`);
  const total = (group) => {
    const sums = {};
    for (const [input, bytes] of Object.entries(full.startupInputs)) {
      const key = group(input);
      sums[key] = (sums[key] ?? 0) + bytes;
    }
    return Object.entries(sums).sort((a, b) => b[1] - a[1]);
  };
  const dist = /packages\/([^/]+)\/dist\/(?:([^/]+)\/)?/;
  const byPackage = total((input) => input.match(dist)?.[1] ?? 'other');
  console.log(`  by package: ${byPackage.map(([p, b]) => `${p} ${kb(b)}`).join(', ')}`);
  const byFolder = total((input) => {
    const match = input.match(dist);
    return match ? `${match[1]}/${match[2] ?? ''}` : 'other';
  });
  console.log(
    `  by folder:  ${byFolder
      .slice(0, 12)
      .map(([f, b]) => `${f} ${kb(b)}`)
      .join(', ')}`,
  );
  const byFile = total((input) => input.replace(/^.*packages\//, ''));
  console.log(
    `  by file:    ${byFile
      .slice(0, 12)
      .map(([f, b]) => `${f} ${kb(b)}`)
      .join(', ')}`,
  );
}

async function main() {
  const check = process.argv.includes('--check');
  assertBuilt();
  const esbuild = loadEsbuild();
  const results = [];
  const sources = [];
  for (const [name, source] of Object.entries(ENTRIES)) {
    results.push(await measure(esbuild, name, source));
    sources.push({ source, resolveDir: umbrella });
  }
  const peers = [];
  if (process.argv.includes('--peers')) {
    for (const [name, { pkg, source }] of Object.entries(PEERS)) {
      const version = peerVersion(pkg);
      if (version === undefined) {
        console.warn(`bundle-size: ${pkg} is not installed in bench/; skipped`);
        continue;
      }
      peers.push(await measure(esbuild, `${name} ${version}`, source, peersDir));
      sources.push({ source, resolveDir: peersDir });
    }
  }
  console.log(`Bundled by esbuild ${esbuild.version}:\n`);
  printReport([...results, ...peers]);
  await rolldownReport([...results, ...peers], sources);
  const failures = [];
  for (const r of results) {
    for (const [backend, patterns] of Object.entries(LAZY_ONLY)) {
      const eager = Object.keys(r.startupInputs).filter((input) =>
        patterns.some((re) => re.test(input)),
      );
      if (eager.length > 0) {
        failures.push(
          `'${r.name}': ${backend} is in the startup code (${eager.slice(0, 3).join(', ')}); it must load only when started`,
        );
      }
    }
  }
  const full = results[0];
  for (const [bundler, sizes] of [
    ['esbuild', full],
    ['Rolldown', full.rolldown],
  ]) {
    const verdict = sizes.gz <= BUDGET_GZ_BYTES ? 'within' : 'OVER';
    console.log(
      `\n'full' startup code, ${bundler}: ${kb(sizes.gz)} gzipped (${kb(sizes.withWebGpu)} with WebGPU), ${verdict} the ${kb(BUDGET_GZ_BYTES)} budget.`,
    );
    if (check && sizes.gz > BUDGET_GZ_BYTES) {
      failures.push(
        `'full' startup code (${bundler}) is ${kb(sizes.gz)} gzipped, over ${kb(BUDGET_GZ_BYTES)}`,
      );
    }
  }
  if (failures.length > 0) {
    for (const failure of failures) console.error(`bundle-size: ${failure}`);
    process.exitCode = 1;
  }
}

await main();
