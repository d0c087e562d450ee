import preset from '../../jest.preset.js';

// Unit tests of the app's logic, in Node; test/e2e holds the browser tests (jest.e2e.config.js).
export default {
  ...preset,
  displayName: 'playground',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  testTimeout: 60_000,
};
