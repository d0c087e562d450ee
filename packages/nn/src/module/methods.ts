/**
 * Methods of a module come bound to it, as Equinox's do: `vmap(model.call)` or `filterJit(model.call)`
 * work without `.bind(model)`. The first time a class is constructed, every method on its prototypes
 * (up to `Module`) becomes a getter that returns the method bound to the instance, made once per
 * instance and method.
 */
import { finishConstruction, isModuleObject } from './lifecycle.js';

/** Methods the module machinery calls itself, which stay plain. */
const PLAIN = new Set(['constructor', 'checkInit', 'toString']);
const prepared = new WeakSet<object>();
const bound = new WeakMap<object, Map<string, (...args: unknown[]) => unknown>>();

function boundTo(
  self: object,
  key: string,
  method: (...args: unknown[]) => unknown,
): (...args: unknown[]) => unknown {
  let methods = bound.get(self);
  if (!methods) bound.set(self, (methods = new Map<string, (...args: unknown[]) => unknown>()));
  let fn = methods.get(key);
  if (!fn) {
    fn = (...args: unknown[]) => {
      finishConstruction(self);
      return method.apply(self, args);
    };
    Object.defineProperty(fn, 'name', { value: method.name });
    methods.set(key, fn);
  }
  return fn;
}

/** Makes the methods of `type`'s prototypes, below `base`, bound getters. Once per prototype. */
export function bindMethods(type: { prototype: object }, base: object): void {
  for (
    let proto: object | null = type.prototype;
    proto !== null && proto !== base && !prepared.has(proto);
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    prepared.add(proto);
    for (const key of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
      const method = descriptor.value as unknown;
      if (PLAIN.has(key) || typeof method !== 'function' || !descriptor.configurable) continue;
      Object.defineProperty(proto, key, {
        configurable: true,
        enumerable: descriptor.enumerable ?? false,
        get(this: object) {
          // Read from the prototype itself (`Linear.prototype.call`) or another object: the plain method.
          return isModuleObject(this)
            ? boundTo(this, key, method as (...args: unknown[]) => unknown)
            : method;
        },
      });
    }
  }
}
