/** `field()`: how a Module subclass marks a field static or gives it a converter, as `eqx.field` does. */

/**
 * Options of {@link field}.
 *
 * @example
 * ```ts
 * const options: FieldOptions<number> = { static: true, converter: Number };
 * ```
 */
export interface FieldOptions<T> {
  /**
   * A static field is part of the tree's structure (its treedef), not a leaf: transformations never
   * trace or differentiate it, and two modules with different static values have different structures.
   * Use it for configuration (sizes, activation functions, flags), never for tensors.
   */
  static?: boolean;
  /** Applied to every value assigned to the field in the constructor; its result is stored. */
  converter?: (value: never) => T;
}

/** The placeholder a field holds between its declaration and its assignment in the constructor. */
export class FieldMarker {
  constructor(readonly options: Readonly<FieldOptions<unknown>>) {}
}

/**
 * Declares a field of a {@link Module} subclass with options, as `eqx.field(static=True)` does. Use it
 * as the field's initialiser; the constructor then assigns the field as usual.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   factor: Tensor;
 *   name: string = field({ static: true });
 *   constructor(factor: number, name: string) {
 *     super();
 *     this.factor = numpy.array(factor);
 *     this.name = name;
 *   }
 * }
 * tree.leaves(new Scale(2, 'double')).length; // 1
 * ```
 */
export function field<T>(options: FieldOptions<T> = {}): T {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`field: options must be an object, found ${typeof options}`);
  }
  const { converter } = options;
  if (converter !== undefined && typeof converter !== 'function') {
    throw new TypeError(`field: converter must be a function, found ${typeof converter}`);
  }
  return new FieldMarker({ ...options }) as unknown as T;
}
