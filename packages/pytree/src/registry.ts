/**
 * The registry of classes that are pytree nodes. Arrays, plain objects, `null` and `undefined` are nodes
 * built in; instances of a registered class are nodes too, and every other value is a leaf.
 */
import { FlattenedIndexKey, GetAttrKey, type KeyEntry } from './keys.js';
import { className } from './values.js';
import { checkFunction } from './errors.js';
import { checkClass, checkDataclassFields, checkRegisterOptions } from './registry-checks.js';

/**
 * Any class, abstract ones included.
 *
 * @example
 * ```ts
 * class Point { constructor(readonly x: number, readonly y: number) {} }
 * const type: Constructor<Point> = Point;
 * ```
 */
export type Constructor<T = object> = abstract new (...args: never[]) => T;

/**
 * Splits a node into its children and its auxiliary data: everything else needed to rebuild it (static
 * configuration, field names). Auxiliary data becomes part of the {@link TreeDef}, so it should be small and
 * compared by value: numbers, strings, booleans, arrays and plain objects of those (anything else is compared
 * by identity).
 *
 * @example
 * ```ts
 * const flattenPoint: FlattenFn<Point> = (p) => [[p.x, p.y], null];
 * ```
 */
export type FlattenFn<T> = (node: T) => readonly [children: readonly unknown[], aux: unknown];

/**
 * Like {@link FlattenFn}, with a path key for each child.
 *
 * @example
 * ```ts
 * const flattenPoint: FlattenWithKeysFn<Point> = (p) => [
 *   [[new GetAttrKey('x'), p.x], [new GetAttrKey('y'), p.y]],
 *   null,
 * ];
 * ```
 */
export type FlattenWithKeysFn<T> = (
  node: T,
) => readonly [children: readonly (readonly [KeyEntry, unknown])[], aux: unknown];

/**
 * Rebuilds a node from the auxiliary data and the (possibly new) children that its flatten function
 * produced. `type` is the instance's own class, which is a subclass of the registered one when the class
 * was registered with `{ subclasses: true }`.
 *
 * @example
 * ```ts
 * const unflattenPoint: UnflattenFn<Point> = (_aux, [x, y]) => new Point(x as number, y as number);
 * ```
 */
export type UnflattenFn<T> = (aux: unknown, children: unknown[], type: Constructor<T>) => T;

/**
 * Options of the `register*` functions.
 *
 * @example
 * ```ts
 * abstract class Base {}
 * registerPytreeNode(
 *   Base,
 *   (node) => [Object.values(node), Object.keys(node)],
 *   (keys, values, type) => {
 *     const node = Object.create(type.prototype as object) as Record<string, unknown>;
 *     (keys as string[]).forEach((k, i) => (node[k] = values[i]));
 *     return node as Base;
 *   },
 *   { subclasses: true },
 * );
 * class Affine extends Base { scale = 2; shift = 1; }
 * leaves(new Affine()); // [2, 1]: Affine is covered by Base's registration
 * ```
 */
export interface RegisterOptions {
  /**
   * Also treat instances of every subclass as nodes of this kind (the way `Module` registers all models
   * at once). By default only instances whose class is exactly the registered one are nodes.
   */
  subclasses?: boolean;
}

/**
 * A registration: how instances of one registered class flatten and unflatten. The `register*` functions
 * make these; every {@link TreeDef} node of a registered class holds its handler.
 *
 * @example
 * ```ts
 * const { handler } = structure(new Point(1, 2));
 * handler?.type === Point; // true
 * ```
 */
export interface NodeHandler {
  /** The registered class. */
  readonly type: Constructor;
  /** Splits an instance into children and auxiliary data. */
  readonly flatten: FlattenFn<object>;
  /** The same, with a path key per child. */
  readonly flattenWithKeys: FlattenWithKeysFn<object>;
  /** Rebuilds an instance. */
  readonly unflatten: UnflattenFn<object>;
  /** Whether instances of subclasses are covered too. */
  readonly subclasses: boolean;
}

// Keyed by prototype, not constructor: a prototype cannot be reassigned the way `obj.constructor` can.
const handlers = new Map<object, NodeHandler>();
/** A registered class as met in a tree: its handler, and the instance's own class (maybe a subclass). */
export interface Resolved {
  handler: NodeHandler;
  type: Constructor;
}
// What lookups resolved to, per prototype (null: a leaf). Cleared whenever a class is registered.
let resolved = new WeakMap<object, Resolved | null>();

/** Adds `handler` for its class, which every caller has checked with `checkClass` first. */
function register(name: string, handler: NodeHandler): void {
  const { type } = handler;
  if (type === (Object as unknown) || type === (Array as unknown)) {
    throw new TypeError(`${name}: ${type.name} is a built-in pytree node and cannot be registered`);
  }
  const proto = type.prototype as object;
  if (handlers.has(proto)) {
    throw new Error(`${name}: ${type.name} is already registered as a pytree node`);
  }
  handlers.set(proto, handler);
  resolved = new WeakMap();
}

/**
 * Registers a class as a pytree node, as `jax.tree_util.register_pytree_node` does. Paths through its
 * children use {@link FlattenedIndexKey}; use {@link registerPytreeWithKeys} to give them names.
 *
 * @example
 * ```ts
 * class Point { constructor(readonly x: number, readonly y: number) {} }
 * registerPytreeNode(
 *   Point,
 *   (p) => [[p.x, p.y], null],
 *   (_aux, [x, y]) => new Point(x as number, y as number),
 * );
 * leaves([new Point(1, 2), new Point(3, 4)]); // [1, 2, 3, 4]
 * ```
 */
export function registerPytreeNode<T extends object>(
  type: Constructor<T>,
  flatten: FlattenFn<T>,
  unflatten: UnflattenFn<T>,
  options: RegisterOptions = {},
): void {
  checkClass('registerPytreeNode', type);
  checkFunction('registerPytreeNode', 'flatten', flatten);
  checkFunction('registerPytreeNode', 'unflatten', unflatten);
  checkRegisterOptions('registerPytreeNode', options);
  register('registerPytreeNode', {
    type,
    flatten: flatten as FlattenFn<object>,
    flattenWithKeys: (node) => {
      const [children, aux] = flatten(node as T);
      return [children.map((child, i) => [new FlattenedIndexKey(i), child] as const), aux];
    },
    unflatten: unflatten as unknown as UnflattenFn<object>,
    subclasses: options.subclasses ?? false,
  });
}

/**
 * Options of {@link registerPytreeWithKeys}.
 *
 * @example
 * ```ts
 * const options: RegisterWithKeysOptions<Point> = { flatten: (p) => [[p.x, p.y], null] };
 * ```
 */
export interface RegisterWithKeysOptions<T> extends RegisterOptions {
  /**
   * The same split as `flattenWithKeys` without the keys. Optional: given, it saves building key objects
   * every time the tree is flattened without paths (`flatten`, `map`, `jit`'s input handling).
   */
  flatten?: FlattenFn<T>;
}

/**
 * Registers a class as a pytree node whose children have path keys, as
 * `jax.tree_util.register_pytree_with_keys` does.
 *
 * @example
 * ```ts
 * class Point { constructor(readonly x: number, readonly y: number) {} }
 * registerPytreeWithKeys(
 *   Point,
 *   (p) => [[[new GetAttrKey('x'), p.x], [new GetAttrKey('y'), p.y]], null],
 *   (_aux, [x, y]) => new Point(x as number, y as number),
 *   { flatten: (p) => [[p.x, p.y], null] },
 * );
 * leavesWithPath(new Point(1, 2)).map(([path]) => keystr(path)); // ['.x', '.y']
 * ```
 */
export function registerPytreeWithKeys<T extends object>(
  type: Constructor<T>,
  flattenWithKeys: FlattenWithKeysFn<T>,
  unflatten: UnflattenFn<T>,
  options: RegisterWithKeysOptions<T> = {},
): void {
  const name = 'registerPytreeWithKeys';
  checkClass(name, type);
  checkFunction(name, 'flattenWithKeys', flattenWithKeys);
  checkFunction(name, 'unflatten', unflatten);
  checkRegisterOptions(name, options);
  registerKeyed(name, type, flattenWithKeys, unflatten, options);
}

/** Registers a keyed node; its callers (a public function each) have checked their arguments. */
function registerKeyed<T extends object>(
  name: string,
  type: Constructor<T>,
  flattenWithKeys: FlattenWithKeysFn<T>,
  unflatten: UnflattenFn<T>,
  options: RegisterWithKeysOptions<T>,
): void {
  const flatten: FlattenFn<T> =
    options.flatten ??
    ((node) => {
      const [keyed, aux] = flattenWithKeys(node);
      return [keyed.map(([, child]) => child), aux];
    });
  register(name, {
    type,
    flatten: flatten as FlattenFn<object>,
    flattenWithKeys: flattenWithKeys as FlattenWithKeysFn<object>,
    unflatten: unflatten as unknown as UnflattenFn<object>,
    subclasses: options.subclasses ?? false,
  });
}

/**
 * Fields of {@link registerDataclass}.
 *
 * @example
 * ```ts
 * const fields: DataclassFields = { dataFields: ['weight', 'bias'], metaFields: ['activation'] };
 * ```
 */
export interface DataclassFields {
  /** Fields that are children: they hold arrays or other pytrees. */
  dataFields: readonly string[];
  /** Fields that are static: they go into the treedef and are compared by value. */
  metaFields?: readonly string[];
}

/**
 * Registers a class whose named fields are its children and whose other named fields are static, as
 * `jax.tree_util.register_dataclass` does. Unflattening makes an instance of the class without calling its
 * constructor and assigns the fields.
 *
 * @example
 * ```ts
 * class Scaled { constructor(readonly value: number[], readonly label: string) {} }
 * registerDataclass(Scaled, { dataFields: ['value'], metaFields: ['label'] });
 * leaves(new Scaled([1, 2], 'a')); // [1, 2]
 * ```
 */
export function registerDataclass<T extends object>(
  type: Constructor<T>,
  fields: DataclassFields,
  options: RegisterOptions = {},
): void {
  checkClass('registerDataclass', type);
  checkDataclassFields('registerDataclass', fields);
  checkRegisterOptions('registerDataclass', options);
  const { dataFields, metaFields = [] } = fields;
  const keys = dataFields.map((name) => new GetAttrKey(name));
  const listed = new Set([...dataFields, ...metaFields]);
  const noMeta: readonly unknown[] = Object.freeze([]); // shared: no allocation without static fields
  // Instances of one class have the same fields, so checking the first of each class finds a forgotten one.
  const checked = new WeakSet<object>();
  const checkFields = (record: Record<string, unknown>) => {
    const proto = Object.getPrototypeOf(record) as object;
    if (checked.has(proto)) return;
    const unlisted = Object.keys(record).find((k) => !listed.has(k));
    if (unlisted !== undefined) {
      throw new TypeError(
        `registerDataclass: ${className(record)} has a field ${JSON.stringify(unlisted)} that is in ` +
          'neither dataFields nor metaFields of its registration, so it would be lost when the tree is rebuilt',
      );
    }
    checked.add(proto);
  };
  const meta = (record: Record<string, unknown>) => {
    checkFields(record);
    return metaFields.length === 0 ? noMeta : metaFields.map((name) => record[name]);
  };
  registerKeyed<T>(
    'registerDataclass',
    type,
    (node) => {
      const record = node as Record<string, unknown>;
      return [keys.map((key) => [key, record[key.name]] as const), meta(record)];
    },
    (aux, children, concrete) => {
      const node = Object.create(concrete.prototype as object) as Record<string, unknown>;
      for (let i = 0; i < dataFields.length; i++) node[dataFields[i]!] = children[i];
      for (let i = 0; i < metaFields.length; i++) node[metaFields[i]!] = (aux as unknown[])[i];
      return node as T;
    },
    {
      ...options,
      flatten: (node) => {
        const record = node as Record<string, unknown>;
        return [dataFields.map((name) => record[name]), meta(record)];
      },
    },
  );
}

/**
 * Registers a class whose instances are nodes with no children: the whole instance is static and goes into
 * the treedef (compared by identity), as `jax.tree_util.register_static` does. Useful for configuration
 * objects that must not be treated as leaves.
 *
 * @example
 * ```ts
 * class Activation { constructor(readonly name: string) {} }
 * registerStatic(Activation);
 * leaves({ act: new Activation('relu'), scale: 2 }); // [2]
 * ```
 */
export function registerStatic<T extends object>(
  type: Constructor<T>,
  options: RegisterOptions = {},
): void {
  checkClass('registerStatic', type);
  checkRegisterOptions('registerStatic', options);
  register('registerStatic', {
    type,
    flatten: (node) => [[], node],
    flattenWithKeys: (node) => [[], node],
    unflatten: (aux) => aux as object,
    subclasses: options.subclasses ?? false,
  });
}

/**
 * The registration covering instances with prototype `proto` (their class's, or an ancestor's registered
 * with `subclasses`), or `null` if such instances are leaves. Cached per prototype: this runs for every
 * object in every tree flattened.
 */
export function resolve(proto: object): Resolved | null {
  let found = resolved.get(proto);
  if (found === undefined) {
    const handler = handlers.get(proto) ?? inheritedHandler(proto);
    const ctor = (proto as { constructor?: unknown }).constructor;
    found =
      handler === null
        ? null
        : { handler, type: typeof ctor === 'function' ? (ctor as Constructor) : handler.type };
    resolved.set(proto, found);
  }
  return found;
}

function inheritedHandler(proto: object): NodeHandler | null {
  for (
    let p = Object.getPrototypeOf(proto) as object | null;
    p !== null;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    // An ancestor registered for itself only does not stop a further one registered for its subclasses.
    const handler = handlers.get(p);
    if (handler?.subclasses) return handler;
  }
  return null;
}
