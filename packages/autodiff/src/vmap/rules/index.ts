/** Every batching rule, installed once when `vmap` is first loaded. */
import { installConvRules } from './conv.js';
import { installElementwiseRules } from './elementwise.js';
import { installLayoutRules } from './layout.js';
import { installMatmulRules } from './matmul.js';
import { installPoolRules } from './pool.js';
import { installReduceRules } from './reduce.js';

let installed = false;

/** Gives every primitive its batching rule (once). */
export function installBatchRules(): void {
  if (installed) return;
  installed = true;
  installElementwiseRules();
  installReduceRules();
  installLayoutRules();
  installMatmulRules();
  installConvRules();
  installPoolRules();
}
