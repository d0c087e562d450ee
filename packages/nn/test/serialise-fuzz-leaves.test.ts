// What serialise-fuzz.test.ts leaves out: wholly random bytes, a valid start followed by random bytes,
// safetensors headers of random JSON (random dtypes, shapes and offsets), and the file-reading loaders
// of both formats on corrupt files. Every case loads or throws exactly this package's Error, with a
// message that starts with the function's name: never a TypeError or RangeError from inside, a hang, or
// a huge allocation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numpy } from '@equinox-ts/autodiff';
import * as fc from 'fast-check';
import {
  decodeSafetensors,
  decodeSafetensorsHeader,
  deserialiseLeaves,
  encodeSafetensors,
  loadSafetensors,
  serialiseLeaves,
  treeDeserialiseLeaves,
} from '../src/index.js';

/** Runs `decode`: it returns, or throws exactly an Error whose message starts with `op`. */
async function expectLoadOrClearError(decode: () => unknown, op: string): Promise<void> {
  try {
    await decode();
  } catch (e) {
    expect((e as Error).constructor).toBe(Error);
    expect((e as Error).message.slice(0, op.length + 2)).toBe(`${op}: `);
  }
}

const model = {
  weight: numpy.array([
    [1, 2],
    [3, 4],
  ]),
  bias: numpy.array([0.5, -0.5]),
  steps: numpy.array([7], { dtype: 'int32' }),
};
const like = {
  weight: numpy.zeros([2, 2]),
  bias: numpy.zeros([2]),
  steps: numpy.zeros([1], { dtype: 'int32' }),
};

const randomBytes = fc.uint8Array({ maxLength: 300 });

/** A safetensors file: the 8-byte little-endian header length, the header text, then `data`. */
function safetensorsFile(header: string, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** One header entry with random, often wrong, fields. */
const entryArb = fc.record(
  {
    dtype: fc.oneof(fc.constantFrom('F32', 'I32', 'BOOL', 'F64', 'U8', 'F16', 'X'), fc.jsonValue()),
    shape: fc.oneof(
      fc.array(fc.integer({ min: -2, max: 2 ** 40 }), { maxLength: 4 }),
      fc.jsonValue(),
    ),
    data_offsets: fc.oneof(
      fc.tuple(fc.integer({ min: -8, max: 2 ** 40 }), fc.integer({ min: -8, max: 2 ** 40 })),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);
const headerArb = fc.dictionary(
  fc.oneof(fc.constantFrom('weight', 'bias', 'steps', '__metadata__'), fc.string({ maxLength: 4 })),
  fc.oneof(entryArb, fc.jsonValue()),
  { maxKeys: 4 },
);

describe('random bytes', () => {
  test('wholly random bytes: both formats load or give a clear Error', async () => {
    await fc.assert(
      fc.asyncProperty(randomBytes, async (bytes) => {
        await expectLoadOrClearError(() => decodeSafetensors(bytes), 'decodeSafetensors');
        await expectLoadOrClearError(() => decodeSafetensors(bytes, like), 'decodeSafetensors');
        await expectLoadOrClearError(() => deserialiseLeaves(bytes, like), 'deserialiseLeaves');
      }),
      { numRuns: 300 },
    );
  });

  test('a valid start followed by random bytes: both formats load or give a clear Error', async () => {
    const leaves = serialiseLeaves(model);
    const safetensors = encodeSafetensors(model);
    await fc.assert(
      fc.asyncProperty(fc.nat(), randomBytes, async (cut, tail) => {
        const join2 = (valid: Uint8Array) => {
          const keep = valid.slice(0, cut % (valid.length + 1));
          const out = new Uint8Array(keep.length + tail.length);
          out.set(keep);
          out.set(tail, keep.length);
          return out;
        };
        await expectLoadOrClearError(
          () => deserialiseLeaves(join2(leaves), like),
          'deserialiseLeaves',
        );
        await expectLoadOrClearError(
          () => decodeSafetensors(join2(safetensors), like),
          'decodeSafetensors',
        );
      }),
      { numRuns: 300 },
    );
  });

  test('safetensors headers of random JSON: load or give a clear Error, never a huge allocation', async () => {
    await fc.assert(
      fc.asyncProperty(headerArb, fc.uint8Array({ maxLength: 64 }), async (header, data) => {
        const bytes = safetensorsFile(JSON.stringify(header), data);
        await expectLoadOrClearError(
          () => decodeSafetensorsHeader(bytes),
          'decodeSafetensorsHeader',
        );
        await expectLoadOrClearError(() => decodeSafetensors(bytes), 'decodeSafetensors');
        await expectLoadOrClearError(() => decodeSafetensors(bytes, like), 'decodeSafetensors');
      }),
      { numRuns: 300 },
    );
  });
});

describe('the file loaders of both formats', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'serialise-fuzz-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('corrupt files on disk load or give a clear Error naming the loader', async () => {
    const leaves = serialiseLeaves(model);
    const safetensors = encodeSafetensors(model);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(7), async (at, bit) => {
        const flip = (valid: Uint8Array) => {
          const copy = valid.slice();
          copy[at % copy.length]! ^= 1 << bit;
          return copy;
        };
        const leafPath = join(dir, `model-${run}.eqx`);
        const safePath = join(dir, `model-${run++}.safetensors`);
        writeFileSync(leafPath, flip(leaves));
        writeFileSync(safePath, flip(safetensors));
        await expectLoadOrClearError(
          () => treeDeserialiseLeaves(leafPath, like),
          'treeDeserialiseLeaves',
        );
        await expectLoadOrClearError(() => loadSafetensors(safePath, like), 'loadSafetensors');
      }),
      { numRuns: 40 },
    );
  });

  test('a missing file is a clear Error naming the loader and the path', async () => {
    const missing = join(dir, 'absent.safetensors');
    await expect(loadSafetensors(missing, like)).rejects.toThrow(/^loadSafetensors: .*absent/);
    await expect(treeDeserialiseLeaves(join(dir, 'absent.eqx'), like)).rejects.toThrow(
      /^treeDeserialiseLeaves: .*absent/,
    );
  });
});
