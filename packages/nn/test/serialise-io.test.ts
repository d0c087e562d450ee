// Saving to files and sinks: atomic writes (a failed save leaves the old file as it was, and no
// temporary file behind), Equinox's `.eqx` suffix, and loading from paths.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, numpy, random, vmap } from '@equinox-ts/autodiff';
import {
  MLP,
  loadSafetensors,
  saveSafetensors,
  serialiseLeaves,
  treeDeserialiseLeaves,
  treeSerialiseLeaves,
} from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eqx-serialise-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A tensor that cannot be read: a vmap tracer that escaped its transformation. */
function leakedTracer(): Tensor {
  let leaked: Tensor | undefined;
  vmap((x: Tensor) => {
    leaked = x;
    return x;
  })(numpy.ones([2, 2]));
  return leaked!;
}

type Save = (target: string | { write(bytes: Uint8Array): void }, tree: unknown) => Promise<void>;
const SAVERS: [string, Save][] = [
  ['treeSerialiseLeaves', treeSerialiseLeaves],
  ['saveSafetensors', (target, tree) => saveSafetensors(target, tree)],
];

describe.each(SAVERS)('%s', (op, save) => {
  test('writes the file and leaves no temporary file', async () => {
    const path = join(dir, 'model.bin');
    await save(path, { w: numpy.array([1, 2]) });
    expect(readdirSync(dir)).toEqual(['model.bin']);
    await save(path, { w: numpy.array([3, 4]) }); // over an existing file
    expect(readdirSync(dir)).toEqual(['model.bin']);
  });

  test('a tensor that cannot be read leaves the existing file untouched', async () => {
    const path = join(dir, 'model.bin');
    writeFileSync(path, 'old contents');
    await expect(save(path, { ok: numpy.ones([1]), bad: leakedTracer() })).rejects.toThrow(
      new RegExp(`^${op}: ".*model\\.bin": cannot read the tensor at \\.bad: `),
    );
    expect(readFileSync(path, 'utf8')).toBe('old contents');
    expect(readdirSync(dir)).toEqual(['model.bin']);
  });

  test('a missing directory is an error naming the path, and creates nothing', async () => {
    const path = join(dir, 'missing', 'model.bin');
    await expect(save(path, { w: numpy.ones([1]) })).rejects.toThrow(
      new RegExp(`^${op}: ".*missing.model\\.bin": cannot write the file: .*ENOENT`),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a failed rename (the target is a directory) removes the temporary file', async () => {
    const path = join(dir, 'taken.bin');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    await expect(save(path, { w: numpy.ones([1]) })).rejects.toThrow(`${op}: `);
    expect(readdirSync(dir)).toEqual(['taken.bin']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
  });

  test('sinks receive the bytes; a sink that throws is reported', async () => {
    const chunks: Uint8Array[] = [];
    await save({ write: (bytes) => void chunks.push(bytes) }, { w: numpy.ones([1]) });
    expect(chunks).toHaveLength(1);
    const failing = {
      write: () => {
        throw new Error('disk full');
      },
    };
    await expect(save(failing, { w: numpy.ones([1]) })).rejects.toThrow(
      `${op}: the sink's write failed: disk full`,
    );
    await expect(save(42 as unknown as string, {})).rejects.toThrow(
      new TypeError(
        `${op}: expected a file path or a sink with a write(bytes) method, found number`,
      ),
    );
  });
});

describe('file paths', () => {
  test('leaf files round trip through a path; .eqx is added to a name without one, as Equinox does', async () => {
    const model = new MLP(2, 2, 3, 1, { key: random.key(0) });
    await treeSerialiseLeaves(join(dir, 'model'), model);
    expect(readdirSync(dir)).toEqual(['model.eqx']);
    expect(new Uint8Array(readFileSync(join(dir, 'model.eqx')))).toEqual(serialiseLeaves(model));
    const loaded = await treeDeserialiseLeaves(
      join(dir, 'model'),
      new MLP(2, 2, 3, 1, { key: random.key(1) }),
    );
    expect(loaded.layers[1]!.weight.tolist()).toEqual(model.layers[1]!.weight.tolist());
    await treeSerialiseLeaves(join(dir, 'other.v1'), model);
    await treeSerialiseLeaves(join(dir, '.hidden'), model);
    expect(readdirSync(dir).sort()).toEqual(['.hidden.eqx', 'model.eqx', 'other.v1']);
  });

  test('safetensors files round trip through a path', async () => {
    const path = join(dir, 'model.safetensors');
    await saveSafetensors(path, { w: numpy.array([[1, 2]]) }, { metadata: { step: '7' } });
    expect((await loadSafetensors(path)).w!.tolist()).toEqual([[1, 2]]);
    expect((await loadSafetensors(path, { w: numpy.zeros([1, 2]) })).w.tolist()).toEqual([[1, 2]]);
  });

  test('a missing file is an error naming it', async () => {
    await expect(loadSafetensors(join(dir, 'none.safetensors'))).rejects.toThrow(
      /^loadSafetensors: ".*none\.safetensors": cannot read the file: .*ENOENT/,
    );
    await expect(treeDeserialiseLeaves(join(dir, 'none'), {})).rejects.toThrow(
      /^treeDeserialiseLeaves: ".*none\.eqx": cannot read the file: .*ENOENT/,
    );
  });
});
