// A tour of @equinox-ts/pytree: a model is a tree of parameters, and every tool works on the whole tree.
// Run it with `npm start` from the repository root.
import * as tree from '@equinox-ts/pytree';

// A model-shaped tree: two layers of weights (plain arrays of numbers stand in for tensors here),
// an activation name that is not a parameter, and an optional bias that is absent (null).
class Layer {
  constructor(
    readonly weight: number[],
    readonly bias: number[] | null,
  ) {}
}
tree.registerPytreeWithKeys(
  Layer,
  (layer) => [
    [
      [new tree.GetAttrKey('weight'), layer.weight],
      [new tree.GetAttrKey('bias'), layer.bias],
    ],
    null,
  ],
  (_aux, [weight, bias]) => new Layer(weight as number[], bias as number[] | null),
);

const model = {
  layers: [new Layer([0.5, -1.5], [0.1]), new Layer([2.0, 0.25], null)],
  activation: 'relu',
};

const [leaves, def] = tree.flatten(model);
console.log('structure:', String(def));
console.log('leaves:   ', leaves);

console.log('\nevery leaf with its path:');
for (const [path, leaf] of tree.leavesWithPath(model)) {
  console.log(`  ${tree.keystr(path).padEnd(22)} ${String(leaf)}`);
}

// Equinox's filtering: split the numbers (trainable) from everything else, update them, put them back.
// The holes partition leaves (null) are nodes without leaves, so map passes over them.
const isNumber = (x: unknown) => typeof x === 'number';
const [params, statics] = tree.partition(model, isNumber);
const grads = tree.map((p: number) => 2 * p, params); // the gradient of sum(p^2)
const updated = tree.map((p: number, g: number) => p - 0.1 * g, params, grads);
const newModel = tree.combine(updated, statics);
console.log('\nafter one step of gradient descent on sum(p^2):', tree.leaves(newModel));

// Out-of-place surgery: give the second layer a bias; the original model is unchanged.
const withBias = tree.treeAt((m) => m.layers[1]!.bias, newModel, [0.0]);
console.log('second layer with a bias:', withBias.layers[1]);
console.log('original second layer:   ', newModel.layers[1]);
console.log(
  '\nnumber of parameters:',
  tree.reduce((n: number, x) => n + (isNumber(x) ? 1 : 0), withBias, 0),
);
