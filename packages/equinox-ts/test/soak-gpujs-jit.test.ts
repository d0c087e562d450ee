// Soak test on the gpu.js backend (its CPU mode in Node), jitted with donation: 5,000 Adam steps in
// flat memory (see test/soak/soak.ts). On a 2-core machine shared with other jobs, the 5,200 steps
// took 38 to 57 s.
import { setBackend } from '../src/index.js';
import { describeSoak } from './soak/soak.js';

describeSoak('gpujs', () => setBackend('gpujs'), 'jit', { warmup: 200, timeout: 180_000 });
