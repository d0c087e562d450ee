#!/usr/bin/env node
// Prints the workspace's test total as the last line of `npm test`: `N passed, N failed`, summed over the
// .test-results.json files that each package's jest run and the pack smoke test wrote. Fails if nothing
// ran, so that a misconfigured suite cannot pass by running no test.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [join(root, '.test-results.json')];
for (const group of ['packages', 'apps', 'examples']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) files.push(join(dir, name, '.test-results.json'));
}
let passed = 0;
let failed = 0;
for (const file of files.filter((f) => existsSync(f))) {
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  passed += counts.passed;
  failed += counts.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);
