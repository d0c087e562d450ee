// Soak test on the CPU backend: 5,000 eager and 5,000 jitted Adam steps in flat memory (see
// test/soak/soak.ts). On a 2-core machine shared with other jobs: eager 26 to 88 s, jitted 13 to 17 s.
import { setBackend } from '../src/index.js';
import { describeSoak } from './soak/soak.js';

const start = () => setBackend('cpu');
describeSoak('cpu', start, 'eager', { warmup: 1000, timeout: 180_000 });
describeSoak('cpu', start, 'jit', { warmup: 500, timeout: 120_000 });
