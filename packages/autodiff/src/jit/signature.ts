/** The cache key of a jitted call: tree structure, tensor shapes and dtypes, static leaf values. */
import { Tensor } from '../tensor.js';

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** A string that equals another exactly when the two static values are interchangeable. */
function staticKey(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? 'n-0' : `n${value}`;
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `b${value}`;
  // Functions and objects by identity: the same object gives the same trace.
  const object = value;
  let id = identities.get(object);
  if (id === undefined) identities.set(object, (id = nextIdentity++));
  return `o${id}`;
}

/** The key of a call with these leaves, given the key of their tree structure. */
export function signatureKey(structureKey: string, leaves: readonly unknown[]): string {
  const parts = leaves.map((leaf) =>
    leaf instanceof Tensor ? `T${leaf.dtype}[${leaf.shape.join(',')}]` : staticKey(leaf),
  );
  return `${structureKey}|${parts.join(';')}`;
}
