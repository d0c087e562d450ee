/**
 * Runs the conformance suite (test/conformance/*.test.ts) in headless Chromium on the browser backends
 * of backends.ts: bundles each test file with esbuild, serves the bundles on localhost (WebGPU needs a
 * secure context, which localhost is), and runs each file in a fresh page. Prints every failure and a
 * jest-like summary, writes the counts to .test-results.browser.json for scripts/test-all.mjs, and
 * exits non-zero on any failure, including a backend that cannot start.
 *
 * Usage: tsx test/browser/run.ts [name filter...]   (e.g. `matmul reduce`; default: every file)
 * Environment: CHROMIUM, the browser to drive (default /usr/bin/chromium, Debian's, as .ci/run installs).
 *   BROWSER_BACKENDS, the backends to run, comma-separated (default `webgpu,gpujs`).
 */
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { TestEvent } from './events.js';
import { serve } from './serve.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', '..');
const conformance = join(pkg, 'test', 'conformance');

// --enable-unsafe-webgpu: Chromium on Linux offers no WebGPU adapter without it. The others pin both
// WebGPU and WebGL2 to SwiftShader, so that results (and the tolerances) do not depend on whatever GPU a
// machine has; SwiftShader is what a headless machine without a GPU gets anyway.
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
/** A whole file; each test has its own 60 s limit in the page (shim.ts). */
const FILE_TIMEOUT_MS = 10 * 60_000;

/** Replaces the Node backend list (CPU, Dawn, gpu.js cpu mode) with the browser one. */
const browserBackends: Plugin = {
  name: 'browser-backends',
  setup(b) {
    b.onResolve({ filter: /^\.\/(backends|gpu-availability)\.js$/ }, (args) => {
      if (args.resolveDir !== conformance) return undefined;
      if (args.path === './backends.js') return { path: join(here, 'backends.ts') };
      return {
        errors: [{ text: 'gpu-availability.ts is Node-only; import ./backends.js instead' }],
      };
    });
  },
};

async function bundle(files: readonly string[], outdir: string): Promise<void> {
  const entryPoints: Record<string, string> = { shim: join(here, 'shim.ts') };
  for (const f of files) entryPoints[f] = join(conformance, `${f}.test.ts`);
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@equinox-ts/source'],
    plugins: [browserBackends],
    // Which backends run: by default (and in CI) both, WebGPU and gpu.js on WebGL2;
    // `BROWSER_BACKENDS=webgpu` or `=gpujs` runs one.
    define: { BROWSER_BACKENDS: JSON.stringify(process.env.BROWSER_BACKENDS ?? 'webgpu,gpujs') },
    logLevel: 'warning',
  });
  writeFileSync(
    join(outdir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>conformance</title>\n' +
      '<script type="module">import { runFile } from "./shim.js";\n' +
      'runFile(new URLSearchParams(location.search).get("file"));</script>\n',
  );
}

/** The little of the DOM and WebGPU that `probe` uses (the package's types have no DOM). */
interface PageGlobals {
  navigator: {
    gpu?: { requestAdapter(): Promise<{ info: { vendor: string; architecture: string } } | null> };
  };
  document: {
    createElement(tag: 'canvas'): {
      getContext(kind: 'webgl2'): {
        getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null;
        getParameter(name: number): unknown;
      } | null;
    };
  };
}

/** Checks that the browser offers what the backends need, and says what it runs on. */
async function probe(browser: Browser, origin: string): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto(`${origin}/index.html`);
  const found = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const problems: string[] = [];
    const info: string[] = [];
    const adapter = await g.navigator.gpu?.requestAdapter();
    if (!adapter) problems.push('no WebGPU adapter (navigator.gpu.requestAdapter() gave none)');
    else info.push(`WebGPU: ${adapter.info.vendor} ${adapter.info.architecture}`);
    const gl = g.document.createElement('canvas').getContext('webgl2');
    if (!gl) problems.push('no WebGL2 context');
    else {
      // The plain RENDERER parameter only says "WebKit WebGL".
      const debug = gl.getExtension('WEBGL_debug_renderer_info');
      info.push(`WebGL2: ${debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : '?'}`);
    }
    return { problems, info };
  });
  await page.close();
  console.log(`browser: ${browser.version()}; ${found.info.join('; ')}`);
  return found.problems;
}

interface Outcome {
  path: readonly string[];
  error: string | null;
}

/** Runs one bundled test file in a fresh page, printing failures as they come. */
async function runFile(browser: Browser, origin: string, file: string): Promise<Outcome[]> {
  const page = await browser.newPage();
  const outcomes: Outcome[] = [];
  let finish: (error: string | null) => void = () => {};
  const finished = new Promise<string | null>((resolve) => (finish = resolve));
  await page.exposeFunction('__report', (event: TestEvent) => {
    if (event.kind === 'test') {
      outcomes.push(event);
      if (event.error !== null)
        console.log(`  ✕ ${event.path.join(' › ')}\n${indent(event.error)}`);
    } else finish(event.kind === 'done' ? null : `the file failed to load:\n${event.error}`);
  });
  page.on('pageerror', (e) =>
    outcomes.push({ path: ['uncaught error'], error: e.stack ?? e.message }),
  );
  page.on('crash', () => finish('the page crashed'));
  const timer = setTimeout(() => finish(`timed out after ${FILE_TIMEOUT_MS} ms`), FILE_TIMEOUT_MS);
  await page.goto(`${origin}/index.html?file=${file}`);
  const problem = await finished;
  clearTimeout(timer);
  await page.close();
  if (problem !== null) {
    console.log(`  ✕ ${file}: ${problem}`);
    outcomes.push({ path: [file], error: problem });
  }
  return outcomes;
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => `      ${line}`)
    .join('\n');
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = readdirSync(conformance)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -'.test.ts'.length))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort();
  if (files.length === 0) throw new Error(`no conformance file matches ${filters.join(' ')}`);

  const start = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'kernels-browser-'));
  const server = createServer(serve(outdir));
  let browser: Browser | undefined;
  try {
    await bundle(files, outdir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const problems = await probe(browser, origin);
    // Still runs the files: each test of a backend that cannot start then fails with the reason.
    for (const p of problems) console.log(`browser: ${p}`);

    const backends = new Map<string, { passed: number; failed: number }>();
    let passed = 0;
    let failed = 0;
    for (const file of files) {
      const fileStart = Date.now();
      const outcomes = await runFile(browser, origin, file);
      const bad = outcomes.filter((o) => o.error !== null).length;
      const seconds = ((Date.now() - fileStart) / 1000).toFixed(1);
      console.log(
        `${bad === 0 ? 'PASS' : 'FAIL'} ${file} (${outcomes.length - bad} passed, ${bad} failed, ${seconds} s)`,
      );
      passed += outcomes.length - bad;
      failed += bad;
      for (const o of outcomes) {
        // forEachBackend's describe is the outermost one that names a backend.
        const name = o.path.length > 1 ? o.path[0]! : '(file)';
        const counts = backends.get(name) ?? { passed: 0, failed: 0 };
        counts[o.error === null ? 'passed' : 'failed'] += 1;
        backends.set(name, counts);
      }
    }
    for (const [name, c] of backends)
      console.log(`  ${name}: ${c.passed} passed, ${c.failed} failed`);
    // A browser that offers neither backend must not pass by running nothing.
    if (problems.length > 0 && failed === 0) failed = problems.length;
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    console.log(
      `\nTests: ${failed} failed, ${passed} passed, ${passed + failed} total (${seconds} s)`,
    );
    if (filters.length === 0) {
      const counts = `${JSON.stringify({ passed, failed })}\n`;
      writeFileSync(join(pkg, '.test-results.browser.json'), counts);
    }
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await browser?.close();
    server.close();
    rmSync(outdir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
