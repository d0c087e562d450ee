// Pytree benchmark: flatten + unflatten of a model-shaped tree with 10,000 leaves.
// Peer in the same run: jax-js's tree module (plain arrays and objects only, so it gets the plain-object
// version of the model). Run with `pnpm bench` from the repository root; results go to BENCHMARKS.md.
import { tree as jaxTree } from '@jax-js/jax';
import * as tree from '@equinox-ts/pytree';
import { compare, rate, type Timing } from './harness.js';

const LAYERS = 2500; // 4 leaves each: 10,000 leaves
const TARGET = 2e6; // leaves per second, from the issue

/** A stand-in for a tensor: a leaf to every pytree library. */
const param = (n: number) => new Float32Array(n);

// The model as plain objects and arrays, which every library understands.
const plainModel = {
  layers: Array.from({ length: LAYERS }, () => ({
    weight: param(4),
    bias: param(2),
    norm: { scale: param(2), offset: param(2) },
  })),
};

// The same model as registered classes with keys, the way equinox-ts `Module`s are stored.
class Norm {
  constructor(
    readonly scale: Float32Array,
    readonly offset: Float32Array,
  ) {}
}
class Layer {
  constructor(
    readonly weight: Float32Array,
    readonly bias: Float32Array,
    readonly norm: Norm,
  ) {}
}
tree.registerDataclass(Norm, { dataFields: ['scale', 'offset'] });
tree.registerDataclass(Layer, { dataFields: ['weight', 'bias', 'norm'] });
const classModel = {
  layers: plainModel.layers.map(
    (l) => new Layer(l.weight, l.bias, new Norm(l.norm.scale, l.norm.offset)),
  ),
};

function roundTrip(
  flatten: (t: unknown) => [unknown[], unknown],
  unflatten: (d: never, l: unknown[]) => unknown,
  model: unknown,
) {
  return () => {
    const [leaves, def] = flatten(model);
    unflatten(def as never, leaves);
  };
}

const leafCount = tree.leaves(plainModel).length;
if (leafCount !== 4 * LAYERS || jaxTree.leaves(plainModel).length !== leafCount) {
  throw new Error(`benchmark tree has ${leafCount} leaves, expected ${4 * LAYERS}`);
}

const cases = compare([
  { name: 'equinox-ts, plain objects', run: roundTrip(tree.flatten, tree.unflatten, plainModel) },
  {
    name: 'equinox-ts, registered classes',
    run: roundTrip(tree.flatten, tree.unflatten, classModel),
  },
  {
    name: 'jax-js 0.1.25, plain objects',
    run: roundTrip(jaxTree.flatten, jaxTree.unflatten as never, plainModel),
  },
]);
const peer = cases[2]!;

console.log(`flatten + unflatten, ${leafCount} leaves (${LAYERS} layers), Node ${process.version}`);
console.log('case                              ms/round trip   leaves/s     vs jax-js');
for (const c of cases) {
  const leavesPerSecond = leafCount / (c.medianMs / 1000);
  console.log(
    `${c.name.padEnd(34)}${c.medianMs.toFixed(3).padStart(10)}   ${rate(leavesPerSecond).padStart(11)}   ${(peer.medianMs / c.medianMs).toFixed(2)}x`,
  );
}
const ours = leafCount / (cases[0]!.medianMs / 1000);
console.log(`\ntarget: ${rate(TARGET)} -> ${ours >= TARGET ? 'met' : 'NOT met'} (${rate(ours)})`);

// Comparing two structures, as a transformation's cache does on every call: ours node by node (`equals`)
// against jax-js's `equals`. Then the cost of our cache-key string (`key`), the string a later `jit` would
// build per call: it is memoised, so it is read from a fresh treedef, and `structure()` alone is timed beside
// it to subtract.
const [defA, defB] = [tree.structure(plainModel), tree.structure(plainModel)];
const [jaxA, jaxB] = [jaxTree.structure(plainModel), jaxTree.structure(plainModel)];
const [equals, jaxEquals, structure, key] = compare(
  [
    { name: 'equinox-ts TreeDef.equals', run: () => void defA.equals(defB) },
    { name: 'jax-js 0.1.25 JsTreeDef.equals', run: () => void jaxA.equals(jaxB) },
    { name: 'equinox-ts structure()', run: () => void tree.structure(plainModel) },
    { name: 'equinox-ts structure().key', run: () => void tree.structure(plainModel).key },
  ],
  2000,
) as [Timing, Timing, Timing, Timing];
const row = (c: Timing, note: string) =>
  console.log(`${c.name.padEnd(34)}${c.medianMs.toFixed(3).padStart(7)}   ${note}`.trimEnd());
console.log('\ncomparing two structures of the same tree');
console.log('case                              ms/call   vs jax-js equals');
for (const c of [equals, jaxEquals]) row(c, `${(jaxEquals.medianMs / c.medianMs).toFixed(2)}x`);
row(structure, '');
row(key, '');
console.log(
  `key string alone (.key - structure()): ${(key.medianMs - structure.medianMs).toFixed(3)} ms`,
);
