import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'example-mnist', testTimeout: 120_000 };
