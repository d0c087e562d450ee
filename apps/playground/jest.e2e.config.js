import preset from '../../jest.preset.js';

const root = new URL('../../', import.meta.url).pathname;

// End-to-end tests: the built app (dist/, from `vite build`) in headless Chromium, driven by
// playwright-core. One file at a time: they share the machine's software GPU.
export default {
  ...preset,
  displayName: 'playground-e2e',
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 180_000,
  maxWorkers: 1,
  reporters: [
    'default',
    [`${root}scripts/jest-count-reporter.js`, { file: '.test-results.browser.json' }],
  ],
};
