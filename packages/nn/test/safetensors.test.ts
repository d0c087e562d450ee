// safetensors: files as the Python library writes them, names, dtype conversions, round trips of plain
// trees and modules, and loading into `like`.
import { type Tensor, numpy, random } from '@equinox-ts/autodiff';
import * as tree from '@equinox-ts/pytree';
import {
  Linear,
  MLP,
  Module,
  decodeSafetensors,
  decodeSafetensorsHeader,
  encodeSafetensors,
  field,
  loadSafetensors,
} from '../src/index.js';
import { BACKENDS, useBackend } from './helpers/backends.js';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** A file from its header text (already padded) and data bytes: the 8-byte little-endian length first. */
function file(header: string, data: number[]): Uint8Array {
  const n = header.length;
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff, 0, 0, 0, 0, 0, 0, ...ascii(header), ...data]);
}

// What `safetensors.torch.save_file({'weight': f16 [[1, -2], [0.5, 2**-24]], 'bias': f32 [0.25, -1]},
// metadata={'format': 'pt'})` writes: the larger dtype first, the header padded to 152 bytes.
const PYTORCH_HEADER =
  '{"__metadata__":{"format":"pt"},' +
  '"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
  '"weight":{"dtype":"F16","shape":[2,2],"data_offsets":[8,16]}}   ';
const PYTORCH_DATA = [
  ...[0x00, 0x00, 0x80, 0x3e], // 0.25
  ...[0x00, 0x00, 0x80, 0xbf], // -1
  ...[0x00, 0x3c], // float16 1
  ...[0x00, 0xc0], // float16 -2
  ...[0x00, 0x38], // float16 0.5
  ...[0x01, 0x00], // float16 2**-24, the smallest subnormal
];

describe.each(BACKENDS)('safetensors on $name', (entry) => {
  useBackend(entry);

  test('reads a file as PyTorch writes it, float16 included', async () => {
    const bytes = file(PYTORCH_HEADER, PYTORCH_DATA);
    expect(PYTORCH_HEADER.length).toBe(152);
    expect(decodeSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt' });
    const loaded = await loadSafetensors(bytes);
    expect(Object.keys(loaded)).toEqual(['bias', 'weight']);
    expect(loaded.bias!.dtype).toBe('float32');
    expect(loaded.bias!.tolist()).toEqual([0.25, -1]);
    expect(loaded.weight!.dtype).toBe('float32');
    expect(loaded.weight!.tolist()).toEqual([
      [1, -2],
      [0.5, 2 ** -24],
    ]);
  });

  test('writes float32 tensors and metadata byte for byte as the library does', () => {
    // safetensors.numpy.save({'bias': f32 [0.25, -1]}, metadata={'format': 'pt'}): an 88-byte header,
    // already a multiple of 8, so no padding.
    const header =
      '{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    expect(header.length).toBe(88);
    const ours = encodeSafetensors(
      { bias: numpy.array([0.25, -1]) },
      { metadata: { format: 'pt' } },
    );
    expect(Array.from(ours)).toEqual(Array.from(file(header, PYTORCH_DATA.slice(0, 8))));
  });

  test('orders tensors as the safetensors library: float32, then int32, then bool, each by name', () => {
    const bytes = encodeSafetensors({
      b: numpy.array([true]),
      z: numpy.array([1], { dtype: 'int32' }),
      y: numpy.array([2]),
      a: numpy.array([3]),
    });
    const header = decodeSafetensorsHeader(bytes);
    expect(
      Object.entries(header.tensors).map(([name, e]) => [name, e.dtype, e.dataOffsets]),
    ).toEqual([
      ['a', 'F32', [0, 4]],
      ['y', 'F32', [4, 8]],
      ['z', 'I32', [8, 12]],
      ['b', 'BOOL', [12, 13]],
    ]);
    const length = new DataView(bytes.buffer).getUint32(0, true);
    expect(length % 8).toBe(0);
    expect(bytes[8 + length - 1]).toBe(0x20); // padded with spaces
  });

  test('converts every integer and float dtype PyTorch writes', () => {
    const entries: [string, string, number[], number[]][] = [
      ['bf16', 'BF16', [2], [0xc0, 0x3f, 0x40, 0xc0]], // 1.5, -3
      ['f16special', 'F16', [3], [0x00, 0x7c, 0x00, 0x80, 0x00, 0x7e]], // inf, -0, NaN
      ['f64', 'F64', [1], [0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f]], // 0.1
      ['i64', 'I64', [2], [0xfe, ...Array<number>(7).fill(0xff), 5, 0, 0, 0, 0, 0, 0, 0]], // -2, 5
      ['u8', 'U8', [1], [255]],
      ['i8', 'I8', [1], [0xff]], // -1
      ['i16', 'I16', [1], [0xd4, 0xfe]], // -300
      ['u16', 'U16', [1], [0xff, 0xff]], // 65535
      ['u32', 'U32', [1], [0xff, 0xff, 0xff, 0x7f]], // 2**31 - 1
      ['u64', 'U64', [1], [7, 0, 0, 0, 0, 0, 0, 0]],
      ['mask', 'BOOL', [3], [1, 0, 2]],
    ];
    let offset = 0;
    const parts = entries.map(([name, dtype, shape, data]) => {
      const range = [offset, (offset += data.length)];
      return `"${name}":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(range)}}`;
    });
    const loaded = decodeSafetensors(
      file(
        `{${parts.join(',')}}`,
        entries.flatMap(([, , , d]) => d),
      ),
    );
    const values = Object.fromEntries(
      Object.entries(loaded).map(([k, t]) => [k, [t.dtype, t.tolist()]]),
    );
    expect(values).toEqual({
      bf16: ['float32', [1.5, -3]],
      f16special: ['float32', [Infinity, -0, NaN]],
      f64: ['float32', [Math.fround(0.1)]],
      i64: ['int32', [-2, 5]],
      u8: ['int32', [255]],
      i8: ['int32', [-1]],
      i16: ['int32', [-300]],
      u16: ['int32', [65535]],
      u32: ['int32', [2147483647]],
      u64: ['int32', [7]],
      mask: ['bool', [true, false, true]],
    });
  });

  test('names are key paths joined by dots', () => {
    class Pair {
      constructor(
        readonly first: Tensor,
        readonly second: Tensor,
      ) {}
    }
    tree.registerPytreeNode(
      Pair,
      (p) => [[p.first, p.second], null],
      (_aux, [a, b]) => new Pair(a as Tensor, b as Tensor),
    );
    const model = {
      mlp: new MLP(2, 2, 3, 1, { key: random.key(0) }),
      blocks: [{ 'my key': numpy.ones([1]) }],
      pair: new Pair(numpy.ones([1]), numpy.ones([1])),
      step: 3, // not a tensor: not saved
    };
    expect(Object.keys(decodeSafetensorsHeader(encodeSafetensors(model)).tensors).sort()).toEqual([
      'blocks.0.my key',
      'mlp.layers.0.bias',
      'mlp.layers.0.weight',
      'mlp.layers.1.bias',
      'mlp.layers.1.weight',
      'pair.0',
      'pair.1',
    ]);
  });

  test('round trips plain trees, Linear, MLP and a module with static fields', async () => {
    const plain = {
      w: numpy.array([[1, 2]]),
      i: numpy.array([-4], { dtype: 'int32' }),
      m: numpy.array([false, true]),
      e: numpy.zeros([0, 3]),
    };
    const back = decodeSafetensors(encodeSafetensors(plain));
    expect(
      Object.fromEntries(Object.entries(back).map(([k, t]) => [k, [t.dtype, t.shape, t.tolist()]])),
    ).toEqual({
      e: ['float32', [0, 3], []],
      i: ['int32', [1], [-4]],
      m: ['bool', [2], [false, true]],
      w: ['float32', [1, 2], [[1, 2]]],
    });

    const mlp = new MLP(3, 2, 4, 2, { key: random.key(1) });
    const loadedMlp = await loadSafetensors(
      encodeSafetensors(mlp),
      new MLP(3, 2, 4, 2, { key: random.key(2) }),
    );
    expect(loadedMlp).toBeInstanceOf(MLP);
    expect(tree.leaves(loadedMlp).map((t: Tensor) => t.tolist())).toEqual(
      tree.leaves(mlp).map((t: Tensor) => t.tolist()),
    );

    class Head extends Module {
      linear: Linear;
      temperature: number;
      name: string = field({ static: true });
      constructor(key: Tensor, temperature: number, name: string) {
        super();
        this.linear = new Linear(2, 1, { key });
        this.temperature = temperature;
        this.name = name;
      }
    }
    const head = new Head(random.key(3), 0.5, 'saved');
    const loaded = decodeSafetensors(encodeSafetensors(head), new Head(random.key(4), 2, 'like'));
    expect(loaded).toBeInstanceOf(Head);
    expect(loaded.linear.weight.tolist()).toEqual(head.linear.weight.tolist());
    expect(loaded.linear.bias!.tolist()).toEqual(head.linear.bias!.tolist());
    expect(loaded.temperature).toBe(2); // numbers are not saved in safetensors: kept from like
    expect(loaded.name).toBe('like');
  });

  test('ArrayBuffer and Blob sources', async () => {
    const bytes = encodeSafetensors({ w: numpy.array([5]) });
    expect((await loadSafetensors(bytes.slice().buffer)).w!.tolist()).toEqual([5]);
    expect((await loadSafetensors(new Blob([bytes]))).w!.tolist()).toEqual([5]);
    expect(decodeSafetensors(bytes.slice().buffer).w!.tolist()).toEqual([5]);
  });
});
