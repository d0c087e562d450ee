import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'example-predict', testTimeout: 120_000 };
