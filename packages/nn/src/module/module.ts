/** `Module`: Equinox's base class. A model is a class whose fields are its pytree children. */
import { guardModule } from './lifecycle.js';
import { bindMethods } from './methods.js';
import { treePformat } from './pformat.js';
import { registerModuleNode } from './tree-node.js';

/**
 * The base class of every model and layer, as `eqx.Module`. Subclassing it is all it takes: instances
 * of every subclass are pytrees whose children are their fields, so a model passes through `grad`,
 * `vmap`, `jit`, `filterGrad`, `treeAt`, `partition`/`combine` and `applyUpdates` like any tree, and
 * comes back as an instance of the same class (gradients too).
 *
 * - **Fields** are set once, in the constructor. Declare options with {@link field}: `static: true`
 *   moves a field into the tree's structure (sizes, activation functions), `converter` transforms
 *   what is assigned.
 * - **Immutable** once constructed: assigning a field throws an error that names it and shows the
 *   `treeAt` call that makes a changed copy instead.
 * - **`checkInit()`** runs once, when construction is over (the first time the module is used:
 *   flattened by a transformation or tree function, one of its methods called, or printed), for
 *   validation. A constructor should set every field before calling the module's own methods.
 * - **Methods are bound**: `vmap(model.call)` works without `.bind(model)`.
 * - **Printing**: `String(model)` shows class names, fields, and tensors as dtype and shape.
 *
 * By convention a layer's forward pass is its `call` method, taking one unbatched example (batch with
 * `vmap`), and stateful layers take and return a `State`: `call(x, state) -> [y, state]`.
 * Use ordinary fields only: `#private` fields do not work with the proxy that keeps a module immutable.
 * Write methods as methods, not as arrow-function fields: such a field is a leaf, and in the copies that
 * transformations make it still points at the instance it was created on.
 *
 * @example
 * ```ts
 * class Affine extends Module {
 *   weight: Tensor;
 *   bias: Tensor;
 *   constructor(size: number, key: Tensor) {
 *     super();
 *     this.weight = random.normal(key, [size]);
 *     this.bias = numpy.zeros([size]);
 *   }
 *   call(x: Tensor): Tensor {
 *     return this.weight.mul(x).add(this.bias);
 *   }
 * }
 * const model = new Affine(3, random.key(0));
 * vmap(model.call)(numpy.ones([8, 3])).shape; // [8, 3]
 * const grads = grad((m: Affine) => m.call(numpy.ones([3])).sum())(model);
 * grads instanceof Affine; // true
 * String(model); // 'Affine(weight=f32[3], bias=f32[3])'
 * ```
 */
export abstract class Module {
  constructor() {
    bindMethods(new.target, Module.prototype);
    // Every instance is the guard (a proxy) around the object the constructor builds.
    return guardModule(this, false);
  }

  /**
   * Validation run once after construction (Equinox's `__check_init__`): throw to reject the values
   * the constructor set. Fields cannot be assigned here. The default checks nothing.
   *
   * @example
   * ```ts
   * class Positive extends Module {
   *   scale: number;
   *   constructor(scale: number) {
   *     super();
   *     this.scale = scale;
   *   }
   *   override checkInit(): void {
   *     if (this.scale <= 0) throw new RangeError(`Positive: scale must be > 0, found ${this.scale}`);
   *   }
   * }
   * tree.leaves(new Positive(2)); // [2]
   * ```
   */
  checkInit(): void {}

  /**
   * The module as {@link treePformat} renders it.
   *
   * @example
   * ```ts
   * class Pair extends Module {
   *   a = numpy.zeros([2]);
   *   b = 'label';
   * }
   * new Pair().toString(); // 'Pair(a=f32[2], b="label")'
   * ```
   */
  toString(): string {
    return treePformat(this);
  }
}

// Node's console.log and util.inspect show the same rendering.
Object.defineProperty(Module.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value(this: Module) {
    return treePformat(this);
  },
});

registerModuleNode(Module);

/**
 * True for instances of Module subclasses; handy as an `isLeaf` to stop at modules.
 *
 * @example
 * ```ts
 * isModule(new Identity()); // true
 * isModule({ weight: numpy.ones([2]) }); // false
 * ```
 */
export function isModule(value: unknown): value is Module {
  return value instanceof Module;
}
