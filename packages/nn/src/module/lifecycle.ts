/**
 * How a module is guarded: every Module is a Proxy over a plain object. While its constructor runs, each
 * field may be set once (declared fields start `undefined`); after construction no field can change.
 * Construction counts as finished the first time the module is used: flattened (every transformation
 * and tree function flattens), one of its methods called, or printed. Then `checkInit` runs.
 */
import { FieldMarker, type FieldOptions } from './field.js';

interface Internal {
  ready: boolean;
}

// Keyed by both the proxy and its target, so traps (which get the target) and callers (which hold the
// proxy) find the same record.
const internals = new WeakMap<object, Internal>();
// Field options per class, keyed by the class's prototype: every instance of a class declares the same.
const fieldOptions = new WeakMap<object, Map<string, Readonly<FieldOptions<unknown>>>>();

/** True for module instances (the proxies users hold). */
export function isModuleObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && internals.has(value);
}

/** The options `field()` gave `key` in the class whose prototype is `proto`, if any. */
export function optionsOf(proto: object, key: string): Readonly<FieldOptions<unknown>> | undefined {
  return fieldOptions.get(proto)?.get(key);
}

function className(target: object): string {
  const ctor = (Object.getPrototypeOf(target) as { constructor?: { name?: string } } | null)
    ?.constructor;
  return ctor?.name || 'Module';
}

function immutableError(target: object, key: PropertyKey, why: string): TypeError {
  const name = String(key);
  const path = /^[A-Za-z_$][\w$]*$/.test(name) ? `m.${name}` : `m[${JSON.stringify(name)}]`;
  return new TypeError(
    `${className(target)}.${name}: ${why}. Modules are immutable after construction, as in Equinox: ` +
      `make a changed copy with treeAt((m) => ${path}, module, newValue)`,
  );
}

function assign(target: object, property: PropertyKey, value: unknown): void {
  let key = property;
  const internal = internals.get(target)!;
  if (internal.ready) throw immutableError(target, key, 'cannot be assigned');
  const record = target as Record<PropertyKey, unknown>;
  if (typeof key === 'symbol') {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
    return;
  }
  key = String(key);
  const current = Object.getOwnPropertyDescriptor(target, key)?.value as unknown;
  if (current !== undefined && !(current instanceof FieldMarker)) {
    throw immutableError(target, key, 'is already set (a field is set once, in the constructor)');
  }
  const proto = Object.getPrototypeOf(target) as object;
  if (value instanceof FieldMarker) {
    let options = fieldOptions.get(proto);
    if (!options) fieldOptions.set(proto, (options = new Map<string, FieldOptions<unknown>>()));
    options.set(key, value.options);
  } else {
    const converter = optionsOf(proto, key)?.converter as ((v: unknown) => unknown) | undefined;
    if (converter) value = converter(value);
  }
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

const guard: ProxyHandler<object> = {
  set(target, key, value) {
    assign(target, key, value);
    return true;
  },
  defineProperty(target, key, descriptor) {
    if (!('value' in descriptor) || descriptor.enumerable === false) {
      if (internals.get(target)!.ready) throw immutableError(target, key, 'cannot be defined');
      return Reflect.defineProperty(target, key, descriptor);
    }
    assign(target, key, descriptor.value);
    return true;
  },
  deleteProperty(target, key) {
    throw immutableError(target, key, 'cannot be deleted');
  },
  setPrototypeOf(target) {
    throw new TypeError(`${className(target)}: the prototype of a module cannot be changed`);
  },
};

/** Wraps a freshly made module object in its guard; `ready` for copies made from finished modules. */
export function guardModule<T extends object>(target: T, ready: boolean): T {
  const proxy = new Proxy(target, guard) as T;
  const internal: Internal = { ready };
  internals.set(target, internal);
  internals.set(proxy, internal);
  return proxy;
}

/**
 * Ends construction of `module` if it has not ended: checks that every field declared with `field()`
 * was assigned, freezes the fields, and runs `checkInit`. Cheap when it has already ended.
 */
export function finishConstruction(module: object): void {
  const internal = internals.get(module);
  if (internal === undefined || internal.ready) return;
  const record = module as Record<string, unknown>;
  for (const key of Object.keys(module)) {
    if (record[key] instanceof FieldMarker) {
      throw new TypeError(
        `${className(module)}.${key} is declared with field() but its constructor never assigned it`,
      );
    }
  }
  internal.ready = true;
  try {
    (module as { checkInit(): void }).checkInit();
  } catch (e) {
    internal.ready = false; // still under construction: the next use checks again
    throw e;
  }
}
