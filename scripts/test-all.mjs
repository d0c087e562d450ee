#!/usr/bin/env node
// Every check CI runs (`npm test` -> `pnpm run test:all`), one step after another. A failing step does not stop
// the others, so that one run reports everything that is wrong. The last line is the workspace's test total,
// `N passed, N failed`, summed over the .test-results.json files that each package's jest run and the pack
// smoke test write (see scripts/jest-count-reporter.js), and the .test-results.browser.json of the browser
// run (packages/kernels/test/browser/run.ts); a failing step that counted no failed test, such as lint or
// formatting, adds one failure of its own. Exits non-zero if any step failed or if no test ran, so
// that a misconfigured suite cannot pass by running nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `name` in every package folder. */
const inPackages = (name) =>
  ['packages', 'apps', 'examples']
    .map((group) => join(root, group))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(dir, e.name, name)),
    );
const packageResults = inPackages('.test-results.json');
const browserResults = inPackages('.test-results.browser.json');
const rootResults = join(root, '.test-results.json');

// `results`: the .test-results.json files the step writes (turbo restores them for cached test tasks).
const steps = [
  {
    command: 'turbo run lint lint:root typecheck test build docs:api --continue',
    results: packageResults,
  },
  // After the jest runs, not beside them: both run GPU work on SwiftShader, and sharing the CPU can make
  // jest's WebGPU tests overrun their 5 s timeouts (seen once while both ran).
  { command: 'turbo run test:browser', results: browserResults },
  { command: 'prettier --check .', results: [] },
  { command: 'changeset status', results: [] },
  // Security advisories: counts no test; fails on high or critical ones (see the script for a missing endpoint).
  { command: 'node scripts/audit.mjs', results: [] },
  // Bundle size of the built packages: reports, and fails if WebGPU or gpu.js is in a page's startup code.
  { command: 'node scripts/bundle-size.mjs', results: [] },
  { command: 'node scripts/pack-smoke.mjs', results: [rootResults] },
];

/** Sums the counts in those of `files` that exist. */
function count(files) {
  const total = { passed: 0, failed: 0 };
  for (const file of files.filter((f) => existsSync(f))) {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    total.passed += counts.passed;
    total.failed += counts.failed;
  }
  return total;
}

// Counts left over from an earlier run must not count for this one.
for (const file of [...packageResults, ...browserResults, rootResults])
  rmSync(file, { force: true });

const env = {
  ...process.env,
  PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter),
};
const total = { passed: 0, failed: 0 };
const failedSteps = [];
for (const { command, results } of steps) {
  console.log(`\ntest-all: ${command}`);
  const { status } = spawnSync(command, { cwd: root, env, stdio: 'inherit', shell: true });
  const counts = count(results);
  total.passed += counts.passed;
  total.failed += counts.failed;
  if (status !== 0) {
    failedSteps.push(command);
    if (counts.failed === 0) total.failed += 1;
  }
}

console.log('');
if (failedSteps.length > 0) console.log(`test-all: failed steps: ${failedSteps.join('; ')}`);
if (total.passed === 0) console.log('test-all: no test ran');
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(failedSteps.length === 0 && total.passed > 0 && total.failed === 0 ? 0 : 1);
