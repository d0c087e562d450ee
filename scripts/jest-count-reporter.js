// A jest reporter that writes how many tests passed and failed to .test-results.json in the package, so
// that scripts/test-all.mjs can print one total for the whole workspace at the end of `npm test`.
// turbo caches the file with the test task, so a cached run still counts. Browser suites run by jest
// pass `{ file: '.test-results.browser.json' }`, the file test-all reads after the browser step.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export default class CountReporter {
  constructor(_globalConfig, options = {}) {
    this.file = options.file ?? '.test-results.json';
  }

  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
    };
    writeFileSync(join(process.cwd(), this.file), `${JSON.stringify(counts)}\n`);
  }
}
