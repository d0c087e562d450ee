/** `treePformat`: a readable one- or multi-line rendering of a tree of modules, tensors and values. */
import { Tensor } from '@equinox-ts/autodiff';
import { isModuleObject } from './lifecycle.js';

/**
 * Options of {@link treePformat}.
 *
 * @example
 * ```ts
 * const options: PformatOptions = { width: 60 };
 * ```
 */
export interface PformatOptions {
  /** Lines longer than this are broken, one field per line. Default 80. */
  width?: number;
}

const SHORT_DTYPES: Record<string, string> = { float32: 'f32', int32: 'i32', bool: 'bool' };

/** A rendered node: its one-line form, and its parts when it has children. */
interface Doc {
  flat: string;
  open?: string;
  items?: Doc[];
  close?: string;
}

function describe(value: unknown, seen: Set<object>): Doc {
  if (value instanceof Tensor) {
    return { flat: `${SHORT_DTYPES[value.dtype] ?? value.dtype}[${value.shape.join(',')}]` };
  }
  if (typeof value === 'string') return { flat: JSON.stringify(value) };
  if (typeof value === 'function') return { flat: `<function ${value.name || 'anonymous'}>` };
  if (typeof value !== 'object' || value === null) return { flat: String(value) };
  if (seen.has(value)) return { flat: '<cycle>' };
  seen.add(value);
  try {
    if (Array.isArray(value))
      return group(
        '[',
        ']',
        value.map((v) => describe(v, seen)),
      );
    const record = value as Record<string, unknown>;
    const keys = Object.keys(value);
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    if (isModuleObject(value)) {
      const items = keys.map((k) => labelled(`${k}=`, describe(record[k], seen)));
      return group(`${proto?.constructor?.name ?? 'Module'}(`, ')', items);
    }
    if (proto === Object.prototype || proto === null) {
      return group(
        '{',
        '}',
        keys.map((k) => labelled(`${k}: `, describe(record[k], seen))),
      );
    }
    return { flat: `<${proto?.constructor?.name ?? 'object'}>` };
  } finally {
    seen.delete(value);
  }
}

function labelled(label: string, doc: Doc): Doc {
  return doc.items
    ? { ...doc, flat: label + doc.flat, open: label + doc.open! }
    : { flat: label + doc.flat };
}

function group(open: string, close: string, items: Doc[]): Doc {
  return { flat: `${open}${items.map((d) => d.flat).join(', ')}${close}`, open, items, close };
}

function render(doc: Doc, indent: string, width: number, out: string[], suffix: string): void {
  if (
    !doc.items ||
    doc.items.length === 0 ||
    indent.length + doc.flat.length + suffix.length <= width
  ) {
    out.push(indent + doc.flat + suffix);
    return;
  }
  out.push(indent + doc.open!);
  for (const item of doc.items) render(item, `${indent}  `, width, out, ',');
  out.push(indent + doc.close! + suffix);
}

/**
 * Renders a tree the way Equinox's `tree_pformat` does: modules as `ClassName(field=...)`, tensors as
 * dtype and shape (`f32[3,2]`), other values as they are. Fits on one line when it can, otherwise
 * one field per line, indented. `String(module)` and `module.toString()` use it.
 *
 * @example
 * ```ts
 * treePformat({ w: numpy.zeros([3, 2]), act: 'relu' }); // '{w: f32[3,2], act: "relu"}'
 * ```
 */
export function treePformat(value: unknown, options: PformatOptions = {}): string {
  const width = options.width ?? 80;
  const out: string[] = [];
  render(describe(value, new Set()), '', width, out, '');
  return out.join('\n');
}
