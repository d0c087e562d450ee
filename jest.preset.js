// Shared jest settings: every package's jest.config.js spreads this object.
// Tests import sibling packages' TypeScript source through the
// "@equinox-ts/source" export condition, so nothing has to be built first.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@equinox-ts/source', 'node', 'node-addons'],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  reporters: ['default', `${root}scripts/jest-count-reporter.js`],
  cacheDirectory: `${root}.jest-cache`,
};
