// Soak test on the gpu.js backend (its CPU mode in Node), eager: 5,000 Adam steps in flat memory (see
// test/soak/soak.ts). A file of its own so that jest can run it beside the jitted one: on a 2-core
// machine shared with other jobs, 5,150 steps took 116 s, and 5,500 took 48 to 50 s.
import { setBackend } from '../src/index.js';
import { describeSoak } from './soak/soak.js';

describeSoak('gpujs', () => setBackend('gpujs'), 'eager', { warmup: 500, timeout: 300_000 });
