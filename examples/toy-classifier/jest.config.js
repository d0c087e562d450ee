import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'example-toy-classifier', testTimeout: 120_000 };
