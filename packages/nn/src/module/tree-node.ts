/**
 * Every Module subclass is one pytree node kind: its fields, in the order the constructor set them, are
 * its children, except static fields, which go into the treedef with the field names.
 */
import * as tree from '@equinox-ts/pytree';
import { finishConstruction, guardModule, optionsOf } from './lifecycle.js';
import { bindMethods } from './methods.js';

/** The auxiliary data of a module node: every field name in order, then the static fields' values. */
type Aux = readonly [keys: readonly string[], statics: readonly unknown[]];

function split(node: object): [keys: string[], children: unknown[], statics: unknown[]] {
  finishConstruction(node);
  const proto = Object.getPrototypeOf(node) as object;
  const keys = Object.keys(node);
  const record = node as Record<string, unknown>;
  const children: unknown[] = [];
  const statics: unknown[] = [];
  for (const key of keys) {
    if (optionsOf(proto, key)?.static) statics.push(record[key]);
    else children.push(record[key]);
  }
  return [keys, children, statics];
}

function flattenWithKeys(node: object): [[tree.KeyEntry, unknown][], Aux] {
  const [keys, children, statics] = split(node);
  const proto = Object.getPrototypeOf(node) as object;
  const dataKeys = keys.filter((key) => !optionsOf(proto, key)?.static);
  return [children.map((child, i) => [new tree.GetAttrKey(dataKeys[i]!), child]), [keys, statics]];
}

function flatten(node: object): [unknown[], Aux] {
  const [keys, children, statics] = split(node);
  return [children, [keys, statics]];
}

/** Rebuilds a module of class `type` from its fields, without running its constructor. */
export function rebuildModule(
  type: { prototype: object },
  fields: ReadonlyMap<string, unknown>,
  base: object,
): object {
  bindMethods(type, base);
  const target = Object.create(type.prototype) as object;
  for (const [key, value] of fields) {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return guardModule(target, true);
}

/** Registers `base` (Module) so that instances of every subclass are pytree nodes. */
export function registerModuleNode(base: abstract new () => object): void {
  tree.registerPytreeWithKeys(
    base,
    flattenWithKeys,
    (aux, children, type) => {
      const [keys, statics] = aux as Aux;
      const proto = type.prototype as object;
      const fields = new Map<string, unknown>();
      let child = 0;
      let fixed = 0;
      for (const key of keys) {
        fields.set(key, optionsOf(proto, key)?.static ? statics[fixed++] : children[child++]);
      }
      return rebuildModule(type, fields, base.prototype as object);
    },
    { flatten, subclasses: true },
  );
}
