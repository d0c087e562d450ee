/** `Sequential`: applies layers one after another, as `eqx.nn.Sequential`. */
import { type Tensor, random } from '@equinox-ts/autodiff';
import { Module } from '../module/module.js';
import { State, StatefulLayer } from '../state/state.js';

/**
 * What {@link Sequential} holds: anything with a `call` method, a layer (stateful or not) or a module of
 * your own.
 *
 * @example
 * ```ts
 * const layers: Layer[] = [new Identity(), new Lambda(jnn.relu)];
 * new Sequential(layers).call(numpy.array([-1, 1])).tolist(); // [0, 1]
 * ```
 */
export type Layer = { call(x: Tensor, options?: { key?: Tensor }): Tensor } | StatefulLayer;

/**
 * Calls its layers in order, each on the previous one's output (Equinox's `eqx.nn.Sequential`).
 *
 * - `layers`: the layers, any modules with a `call(x, { key })` method; stateful layers (subclasses of
 *   {@link StatefulLayer}, e.g. `BatchNorm`) are called as `call(x, state, { key })`.
 *
 * `call(x, { key })` returns the last layer's output; with a key, each layer gets its own split of it
 * (for `Dropout`). `call(x, state, { key })` threads a {@link State} through the stateful layers and
 * returns `[y, state]`. `layers[i]` is a field, so `treeAt((m) => m.layers[i], model, newLayer)`
 * replaces one.
 *
 * @example
 * ```ts
 * const [k1, k2] = random.split(random.key(0));
 * const model = new Sequential([
 *   new Linear(2, 8, { key: k1! }),
 *   new Lambda(jnn.relu),
 *   new Linear(8, 1, { key: k2! }),
 * ]);
 * model.call(numpy.ones([2])).shape; // [1]
 * ```
 */
export class Sequential extends Module {
  layers: readonly Layer[];

  constructor(layers: readonly Layer[]) {
    super();
    if (!Array.isArray(layers)) {
      throw new TypeError(
        `Sequential: \`layers\` must be an array of layers, found ${typeof layers}`,
      );
    }
    layers.forEach((layer, i) => {
      if (typeof (layer as { call?: unknown } | null)?.call !== 'function') {
        throw new TypeError(`Sequential: layers[${i}] has no call method`);
      }
    });
    this.layers = Array.from<Layer>(layers);
  }

  /** Runs the layers on `x`; with a {@link State}, threads it through the stateful ones. */
  call(x: Tensor, options?: { key?: Tensor }): Tensor;
  call(x: Tensor, state: State, options?: { key?: Tensor }): [Tensor, State];
  call(
    x: Tensor,
    stateOrOptions?: State | { key?: Tensor },
    maybeOptions?: { key?: Tensor },
  ): Tensor | [Tensor, State] {
    let state = stateOrOptions instanceof State ? stateOrOptions : undefined;
    const options = (stateOrOptions instanceof State ? maybeOptions : stateOrOptions) ?? {};
    const keys =
      options.key === undefined || this.layers.length === 0
        ? undefined
        : ([...random.split(options.key, this.layers.length)] as Tensor[]);
    let y = x;
    this.layers.forEach((layer, i) => {
      const key = keys?.[i];
      if (layer instanceof StatefulLayer) {
        if (state === undefined) {
          throw new TypeError(
            `Sequential: layers[${i}] (${layer.constructor.name}) is stateful: call the Sequential as call(x, state)`,
          );
        }
        [y, state] = layer.call(y, state, { key });
      } else {
        y = layer.call(y, { key });
      }
    });
    return stateOrOptions instanceof State ? [y, state!] : y;
  }
}
