import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'example-batchnorm', testTimeout: 120_000 };
