import preset from '../../jest.preset.js';

export default { ...preset, displayName: 'example-char-rnn', testTimeout: 120_000 };
