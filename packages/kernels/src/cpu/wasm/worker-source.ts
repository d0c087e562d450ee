/**
 * The source of a GEMM worker, run from a string (Node `eval: true`, or a Blob URL in browsers). It
 * instantiates the module on the shared memory, then sleeps on the job generation word and takes tasks
 * exactly as `takeTasks` in job.ts does.
 */
import {
  CTL_DONE,
  CTL_GEN,
  CTL_NEXT,
  CTL_PACKED,
  CTL_PACKS,
  CTL_TOTAL,
  INDEX_BITS,
  GEN_MASK,
  RECORD_WORDS,
  RECORDS_BASE,
} from './layout.js';
import type { WasmMemory, WasmModule } from './platform.js';

/** Message a worker gets once, before it reports `'ready'`. */
export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  /** Byte address of this worker's scratch tile. */
  scratch: number;
  /** Int32 index of this worker's task counter (`CTL_TASKS + thread`). */
  counter: number;
  /** Export names in `FN_*` order. */
  functions: readonly string[];
}

/** JavaScript source of the worker. */
export const WORKER_SOURCE = `'use strict';
const nodePort = typeof require === 'function' ? require('node:worker_threads').parentPort : null;
function start(init) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const fns = init.functions.map((name) => instance.exports[name]);
  const scratch = init.scratch;
  const counter = init.counter;
  // Records lie inside the initial memory, so this view never needs refreshing after growth.
  const w = new Int32Array(init.memory.buffer);
  const ready = () => (nodePort ? nodePort.postMessage('ready') : self.postMessage('ready'));
  ready();
  let seen = Atomics.load(w, ${CTL_GEN});
  for (;;) {
    Atomics.wait(w, ${CTL_GEN}, seen);
    seen = Atomics.load(w, ${CTL_GEN});
    const gen = seen & ${GEN_MASK};
    for (;;) {
      const ticket = Atomics.load(w, ${CTL_NEXT});
      if (ticket >>> ${INDEX_BITS} !== gen) break;
      const i = ticket & ${(1 << INDEX_BITS) - 1};
      const total = Atomics.load(w, ${CTL_TOTAL});
      if (i >= total) break;
      if (Atomics.compareExchange(w, ${CTL_NEXT}, ticket, ticket + 1) !== ticket) continue;
      const packs = Atomics.load(w, ${CTL_PACKS});
      if (i >= packs) while (Atomics.load(w, ${CTL_PACKED}) < packs);
      const r = ${RECORDS_BASE >> 2} + i * ${RECORD_WORDS};
      fns[w[r]](w[r + 1], w[r + 2], w[r + 3], w[r + 4], w[r + 5], w[r + 6], w[r + 7], w[r + 8], scratch);
      Atomics.add(w, counter, 1);
      if (i < packs) Atomics.add(w, ${CTL_PACKED}, 1);
      if (Atomics.add(w, ${CTL_DONE}, 1) + 1 === total) Atomics.notify(w, ${CTL_DONE});
    }
  }
}
if (nodePort) nodePort.once('message', start);
else self.onmessage = (event) => start(event.data);
`;
