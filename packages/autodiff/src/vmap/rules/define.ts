/** Attaching batching rules to primitives, by name. */
import { primitives, type BatchRule } from '../../core/primitive.js';

/** Sets the batching rule of the primitive called `name` (which must be defined already). */
export function defineBatchRule<P>(name: string, rule: BatchRule<P>): void {
  const prim = primitives().get(name);
  if (!prim) throw new Error(`internal: no primitive ${name} to give a batching rule`);
  (prim as { batch?: BatchRule<P> }).batch = rule;
}
