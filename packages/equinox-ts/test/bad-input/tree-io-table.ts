/**
 * The bad-input tables for the pytree functions (mismatched trees, non-functions where functions are
 * required, leaf counts that differ), serialisation (non-bytes, trees of another structure, corrupt
 * bytes) and backend selection.
 */
import * as eqx from '../../src/index.js';
import type { BadCase } from './jnp-table.js';
import { loose } from './expect-bad-input.js';

const { jnp, nn, tree } = eqx;
const twoLeaves = () => ({ a: 1, b: 2 });
const notAFunction = (op: string, run: (bad: never) => unknown, argument: string): BadCase => ({
  what: `a string as ${argument}`,
  run: () => run(loose('f')),
  op,
  mentions: [argument, 'string'],
});

export const TREE_TABLE: Record<string, BadCase[]> = {
  map: [
    notAFunction('map', (f) => tree.map(f, twoLeaves()), 'f'),
    {
      what: 'trees that differ',
      run: () => tree.map((a: number, b: number) => a + b, twoLeaves(), loose({ a: 1, c: 2 })),
      op: 'map',
      mentions: ['{a, b}', '{a, c}'],
    },
  ],
  mapWithPath: [
    notAFunction('mapWithPath', (f) => tree.mapWithPath(f, twoLeaves()), 'f'),
    {
      what: 'trees that differ',
      run: () => tree.mapWithPath((_p: unknown, a: number) => a, twoLeaves(), loose([1])),
      op: 'mapWithPath',
      mentions: ['array'],
    },
  ],
  reduce: [notAFunction('reduce', (f) => tree.reduce(f, twoLeaves(), 0), 'f')],
  // JAX's tree_all: the truthiness of every leaf, so non-boolean leaves are defined.
  all: [
    {
      what: 'truthy non-boolean leaves',
      run: () => tree.all({ a: true, b: loose(1) }),
      check: (r: never) => expect(r).toBe([true, 1].every(Boolean)),
    },
    {
      what: 'a falsy number leaf',
      run: () => tree.all({ a: true, b: loose(0) }),
      check: (r: never) => expect(r).toBe([true, 0].every(Boolean)),
    },
  ],
  unflatten: [
    {
      what: 'too few leaves',
      run: () => tree.unflatten(tree.structure(twoLeaves()), [1]),
      op: 'unflatten',
      mentions: ['2', '1'],
    },
    {
      what: 'a non-treedef',
      run: () => tree.unflatten(loose({}), [1]),
      op: 'unflatten',
      mentions: ['TreeDef'],
    },
  ],
  flattenUpTo: [
    {
      what: 'a tree of another structure',
      run: () => tree.flattenUpTo(tree.structure(twoLeaves()), loose([1, 2])),
      op: 'flattenUpTo',
      mentions: ['{a, b}', 'array'],
    },
  ],
  broadcast: [
    {
      what: 'a prefix that is not one',
      run: () => tree.broadcast(loose({ c: 1 }), twoLeaves()),
      op: 'broadcast',
      mentions: ['{c}', '{a, b}'],
    },
  ],
  transpose: [
    {
      what: 'an inner structure that differs',
      run: () =>
        tree.transpose(
          tree.structure([0, 0]),
          tree.structure({ a: 0 }),
          loose([{ b: 1 }, { a: 2 }]),
        ),
      op: 'transpose',
      mentions: ['TreeDef({b: *})', 'expected TreeDef({a: *})'],
    },
  ],
  treeAt: [
    notAFunction('treeAt', (w) => eqx.treeAt(w, twoLeaves(), 3), 'where'),
    {
      what: 'where returning something not in the tree',
      run: () =>
        eqx.treeAt(
          (t: { a: number }) => loose((t as never as Record<string, unknown>).c),
          twoLeaves(),
          3,
        ),
      op: 'treeAt',
      mentions: ['where', 'undefined'],
    },
  ],
  combine: [
    {
      what: 'trees that differ',
      run: () => eqx.combine(twoLeaves(), loose([1])),
      op: 'combine',
      mentions: ['{a, b}', 'array'],
    },
  ],
  partition: [
    {
      what: 'a string filter',
      run: () => eqx.partition(twoLeaves(), loose('x')),
      op: 'partition',
      mentions: ['filterSpec', '"x"'],
    },
  ],
  filter: [
    {
      what: 'a string filter',
      run: () => eqx.filter(twoLeaves(), loose('x')),
      op: 'filter',
      mentions: ['filterSpec', '"x"'],
    },
  ],
  // As Equinox: NaN equals nothing, in numbers and in tensors.
  treeEqual: [
    {
      what: 'NaN numbers',
      run: () => eqx.treeEqual({ a: NaN }, { a: NaN }),
      check: (r: never) => expect(r).toBe(false),
    },
    {
      what: 'NaN in tensors',
      run: () => eqx.treeEqual({ a: jnp.array([NaN]) }, { a: jnp.array([NaN]) }),
      check: (r: never) => expect(String(r)).toBe('false'),
    },
  ],
  registerPytreeNode: [
    {
      what: 'a non-class',
      run: () => tree.registerPytreeNode(loose('x'), loose(null), loose(null)),
      op: 'registerPytreeNode',
      mentions: ['string'],
    },
    {
      what: 'a flatten that is not a function',
      run: () => tree.registerPytreeNode(class NoFlatten {}, loose(null), () => ({})),
      op: 'registerPytreeNode',
      mentions: ['flatten', 'found null'],
    },
  ],
  registerPytreeWithKeys: [
    {
      what: 'a non-class',
      run: () => tree.registerPytreeWithKeys(loose(3), loose(null), loose(null)),
      op: 'registerPytreeWithKeys',
      mentions: ['number'],
    },
  ],
  registerDataclass: [
    {
      what: 'a non-class',
      run: () => tree.registerDataclass(loose(3), { dataFields: [] }),
      op: 'registerDataclass',
      mentions: ['number'],
    },
    {
      what: 'no fields',
      run: () => tree.registerDataclass(class Unlisted {}, loose(undefined)),
      op: 'registerDataclass',
      mentions: ['fields', 'found undefined'],
    },
    {
      what: 'field names that are not strings',
      run: () => tree.registerDataclass(class Numbered {}, { dataFields: loose([0]) }),
      op: 'registerDataclass',
      mentions: ['fields.dataFields', 'found number 0'],
    },
  ],
  registerStatic: [
    {
      what: 'a non-class',
      run: () => tree.registerStatic(loose(3)),
      op: 'registerStatic',
      mentions: ['number'],
    },
    {
      what: 'options that are not an object',
      run: () => tree.registerStatic(class Configured {}, loose('all')),
      op: 'registerStatic',
      mentions: ['options', 'string "all"'],
    },
  ],
};

const model = () => ({ w: jnp.ones([2]), b: jnp.zeros([1]) });

export const IO_TABLE: Record<string, BadCase[]> = {
  serialiseLeaves: [
    {
      what: 'NaN and infinities round trip',
      run: () =>
        nn.deserialiseLeaves(nn.serialiseLeaves({ w: jnp.array([NaN, -Infinity]) }), {
          w: jnp.zeros([2]),
        }),
      check: (t: never) =>
        expect(Array.from((t as { w: eqx.Tensor }).w.dataSync())).toEqual([NaN, -Infinity]),
    },
  ],
  deserialiseLeaves: [
    {
      what: 'a string instead of bytes',
      run: () => nn.deserialiseLeaves(loose('x'), model()),
      op: 'deserialiseLeaves',
      mentions: ['Uint8Array', 'string'],
    },
    {
      what: 'a like of another shape',
      run: () =>
        nn.deserialiseLeaves(nn.serialiseLeaves(model()), { w: jnp.ones([3]), b: jnp.zeros([1]) }),
      op: 'deserialiseLeaves',
      mentions: ['[3]', '[2]'],
      corruptData: true,
    },
    {
      what: 'an empty file',
      run: () => nn.deserialiseLeaves(new Uint8Array(0), model()),
      op: 'deserialiseLeaves',
      mentions: ['0'],
      corruptData: true,
    },
  ],
  treeSerialiseLeaves: [
    {
      what: 'a number as path',
      run: () => eqx.treeSerialiseLeaves(loose(5), model()),
      op: 'treeSerialiseLeaves',
      mentions: ['number'],
    },
  ],
  treeDeserialiseLeaves: [
    {
      what: 'a number as path',
      run: () => eqx.treeDeserialiseLeaves(loose(5), model()),
      op: 'treeDeserialiseLeaves',
      mentions: ['number'],
    },
  ],
  // Leaves that are not tensors are not saved (as the leaf format skips them); loading takes them from like.
  encodeSafetensors: [
    {
      what: 'a non-tensor leaf is skipped',
      run: () =>
        Object.keys(
          nn.decodeSafetensors(nn.encodeSafetensors(loose({ a: 'x', w: jnp.ones([1]) }))),
        ),
      check: (names: never) => expect(names).toEqual(['w']),
    },
  ],
  decodeSafetensors: [
    {
      what: 'a string instead of bytes',
      run: () => nn.decodeSafetensors(loose('x')),
      op: 'decodeSafetensors',
      mentions: ['Uint8Array', 'string'],
    },
    {
      what: 'a like of another shape',
      run: () =>
        nn.decodeSafetensors(nn.encodeSafetensors(model()), {
          w: jnp.ones([3]),
          b: jnp.zeros([1]),
        }),
      op: 'decodeSafetensors',
      mentions: ['[3]', '[2]'],
      corruptData: true,
    },
    {
      what: 'an empty file',
      run: () => nn.decodeSafetensors(new Uint8Array(0)),
      op: 'decodeSafetensors',
      mentions: ['0'],
      corruptData: true,
    },
  ],
  decodeSafetensorsHeader: [
    {
      what: 'a truncated header',
      run: () => nn.decodeSafetensorsHeader(nn.encodeSafetensors(model()).slice(0, 12)),
      op: 'decodeSafetensorsHeader',
      mentions: ['112 bytes', 'only 4'],
      corruptData: true,
    },
  ],
  saveSafetensors: [
    {
      what: 'a number as path',
      run: () => eqx.saveSafetensors(loose(5), model()),
      op: 'saveSafetensors',
      mentions: ['number'],
    },
  ],
  loadSafetensors: [
    {
      what: 'a number as path',
      run: () => eqx.loadSafetensors(loose(5)),
      op: 'loadSafetensors',
      mentions: ['number'],
    },
  ],
  loadSafetensorsHeader: [
    {
      what: 'a number as path',
      run: () => nn.loadSafetensorsHeader(loose(5)),
      op: 'loadSafetensorsHeader',
      mentions: ['number'],
    },
  ],
  setBackend: [
    {
      what: 'an unknown backend name',
      run: () => eqx.setBackend(loose('tpu')),
      op: 'setBackend',
      mentions: ['choice', "'tpu'"],
    },
    {
      what: 'a number',
      run: () => eqx.setBackend(loose(3)),
      op: 'setBackend',
      mentions: ['choice', '3'],
    },
  ],
  devicePut: [
    {
      what: 'a string as backend',
      run: () => eqx.devicePut(jnp.ones([2]), loose('cpu')),
      op: 'devicePut',
      mentions: ['backend', '"cpu"'],
    },
  ],
  devicePutAsync: [
    {
      what: 'a string as backend',
      run: () => eqx.devicePutAsync(jnp.ones([2]), loose('cpu')),
      op: 'devicePutAsync',
      mentions: ['backend', '"cpu"'],
    },
  ],
};
