// An MNIST training run on the real digits, on the CPU backend: an untrained model guesses, a short run
// of Adam learns, the step and epoch counters advance, classify() agrees with evaluate(), and saved
// files load back to the same model (or reject, saying why).
import { jnp, nn, saveSafetensors, setBackend } from 'equinox-ts';
import { type Digits, IMAGE_SIZE } from '../src/data/digits-file.js';
import { gather, splitDigits } from '../src/data/mnist-sampler.js';
import { DigitCNN, DigitMLP, type DigitModel } from '../src/mnist/models.js';
import {
  type MnistConfig,
  type MnistData,
  MnistSession,
  loadDigitModel,
} from '../src/mnist/session.js';
import { loadPackageDigits } from '../vite/digits-asset.js';

const MLP_CONFIG: MnistConfig = {
  model: 'mlp',
  optimiser: 'adam',
  batchSize: 64,
  learningRate: 1e-3,
  seed: 0,
};

let data: MnistData;
beforeAll(async () => {
  await setBackend('cpu');
  data = splitDigits(loadPackageDigits(), 500, 0);
});

/** The first `count` digits of `digits`. */
const firstOf = (digits: Digits, count: number): Digits =>
  gather(
    digits,
    Array.from({ length: count }, (_, i) => i),
  );

/** The losses of `steps` training steps. */
async function train(session: MnistSession, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(await session.step());
  return losses;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** The bytes of a safetensors file of `tree`, saved without metadata unless given. */
async function safetensorsBytes(
  tree: unknown,
  metadata?: Record<string, string>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await saveSafetensors({ write: (bytes) => void chunks.push(bytes) }, tree, { metadata });
  expect(chunks).toHaveLength(1);
  return chunks[0]!;
}

/** Loads `bytes` as a user's file would arrive, a Blob (of a copy: Blob wants an unshared buffer). */
const load = (bytes: Uint8Array): Promise<DigitModel> =>
  loadDigitModel(new Blob([new Uint8Array(bytes)]));

/** The test-set predictions of `model` (a fresh session around it). */
async function predictionsOf(
  model: DigitModel,
  config: MnistConfig,
  test: Digits,
): Promise<Int32Array> {
  return (await new MnistSession(config, { train: data.train, test }, model).evaluate()).predicted;
}

/** The number of values of each tensor in a safetensors file's header, summed. */
function parameterCount(bytes: Uint8Array): number {
  const { tensors } = nn.decodeSafetensorsHeader(bytes);
  return Object.values(tensors).reduce(
    (sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1),
    0,
  );
}

describe('the MLP', () => {
  let session: MnistSession;
  let fresh: Awaited<ReturnType<MnistSession['evaluate']>>;
  let losses: number[];
  beforeAll(async () => {
    session = new MnistSession(MLP_CONFIG, data);
    fresh = await session.evaluate();
    losses = await train(session, 60);
  });

  test('untrained, it is right about as often as a guess among 10 digits', () => {
    expect(fresh.predicted).toHaveLength(500);
    expect(fresh.predicted.every((label) => label >= 0 && label <= 9)).toBe(true);
    const correct = fresh.predicted.filter((label, i) => label === data.test.labels[i]).length;
    expect(fresh.accuracy).toBeCloseTo(correct / 500, 10);
    expect(fresh.accuracy).toBeGreaterThan(0.05);
    expect(fresh.accuracy).toBeLessThan(0.2);
  });

  test('60 steps of Adam (lr 1e-3, batch 64) take the loss from ln 10 far down', () => {
    expect(session.steps).toBe(60);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Small random logits at the start: the cross-entropy of a uniform guess, ln 10 = 2.30.
    expect(Math.abs(losses[0]! - Math.log(10))).toBeLessThan(0.5);
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
  });

  test('after training, it classifies most unseen test digits correctly', async () => {
    const { accuracy, predicted } = await session.evaluate();
    const correct = predicted.filter((label, i) => label === data.test.labels[i]).length;
    expect(accuracy).toBeCloseTo(correct / 500, 10);
    expect(accuracy).toBeGreaterThan(0.7);
  });

  test('classify() gives 10 probabilities summing to 1, the most likely the class evaluate() predicts', async () => {
    const { predicted } = await session.evaluate();
    for (const i of [0, 1, 2, 3, 4]) {
      const image = data.test.images.slice(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
      const probabilities = await session.classify(image);
      expect(probabilities).toHaveLength(10);
      expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
      const best = probabilities.indexOf(Math.max(...probabilities));
      expect(best).toBe(predicted[i]);
    }
  });

  test('save() writes the weights, the kind and the step count; the file loads to the same model', async () => {
    const bytes = await session.save();
    const header = nn.decodeSafetensorsHeader(bytes);
    expect(header.metadata).toEqual({ model: 'mlp', steps: '60' });
    expect(Object.keys(header.tensors).sort()).toEqual([
      'mlp.layers.0.bias',
      'mlp.layers.0.weight',
      'mlp.layers.1.bias',
      'mlp.layers.1.weight',
    ]);
    // 784 * 128 + 128 and 128 * 10 + 10.
    expect(parameterCount(bytes)).toBe(101_770);
    const loaded = await load(bytes);
    expect(loaded).toBeInstanceOf(DigitMLP);
    const original = (await session.evaluate()).predicted;
    expect(Array.from(await predictionsOf(loaded, MLP_CONFIG, data.test))).toEqual(
      Array.from(original),
    );
  });

  test('a file without metadata, or with an unknown kind in it, is recognised by its tensor names', async () => {
    const original = (await session.evaluate()).predicted;
    for (const metadata of [undefined, { model: 'rnn' }]) {
      const loaded = await load(await safetensorsBytes(session.model, metadata));
      expect(loaded).toBeInstanceOf(DigitMLP);
      expect(Array.from(await predictionsOf(loaded, MLP_CONFIG, data.test))).toEqual(
        Array.from(original),
      );
    }
  });
});

test('the step and epoch counters advance: 128 training digits make two batches of 64 an epoch', async () => {
  const session = new MnistSession(MLP_CONFIG, {
    train: firstOf(data.train, 128),
    test: firstOf(data.test, 10),
  });
  expect([session.steps, session.epoch]).toEqual([0, 0]);
  const seen: [number, number][] = [];
  for (let i = 0; i < 3; i++) {
    await session.step();
    seen.push([session.steps, session.epoch]);
  }
  expect(seen).toEqual([
    [1, 1],
    [2, 1],
    [3, 2],
  ]);
});

describe('the CNN', () => {
  const config: MnistConfig = { ...MLP_CONFIG, model: 'cnn', batchSize: 16 };
  let session: MnistSession;
  let testDigits: Digits;
  let losses: number[];
  beforeAll(async () => {
    testDigits = firstOf(data.test, 100);
    session = new MnistSession(config, { train: data.train, test: testDigits });
    losses = await train(session, 30);
  });

  test('trains: 30 steps of batch 16 give finite losses that fall', () => {
    expect(session.model).toBeInstanceOf(DigitCNN);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(Math.abs(losses[0]! - Math.log(10))).toBeLessThan(0.5);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.05);
  });

  test('its file says "cnn" and loads back, with or without that metadata, to the same model', async () => {
    const original = (await session.evaluate()).predicted;
    const bytes = await session.save();
    expect(nn.decodeSafetensorsHeader(bytes).metadata).toEqual({ model: 'cnn', steps: '30' });
    // conv 8 * 25 + 8, conv 16 * 8 * 25 + 16, linear 256 * 64 + 64, linear 64 * 10 + 10.
    expect(parameterCount(bytes)).toBe(208 + 3216 + 16_448 + 650);
    for (const file of [bytes, await safetensorsBytes(session.model)]) {
      const loaded = await load(file);
      expect(loaded).toBeInstanceOf(DigitCNN);
      expect(Array.from(await predictionsOf(loaded, config, testDigits))).toEqual(
        Array.from(original),
      );
    }
  });
});

describe('loadDigitModel rejects a file it cannot use, saying why', () => {
  let mlpFile: Uint8Array;
  beforeAll(async () => {
    mlpFile = await new MnistSession(MLP_CONFIG, data).save();
  });

  test('a truncated file', async () => {
    await expect(load(mlpFile.subarray(0, mlpFile.length - 100))).rejects.toThrow(
      /Safetensors.*data_offsets .* not a range within/,
    );
    await expect(load(mlpFile.subarray(0, 4))).rejects.toThrow(/Safetensors.*truncated: 4 bytes/);
  });

  test('a file that is not safetensors at all', async () => {
    const text = new TextEncoder().encode('a PNG, perhaps, or a photo of a cat');
    await expect(load(text)).rejects.toThrow(/Safetensors.*header length/);
  });

  test('an MLP file whose tensors have the wrong shape', async () => {
    const narrow = {
      mlp: {
        layers: [
          { weight: jnp.zeros([64, 784]), bias: jnp.zeros([64]) },
          { weight: jnp.zeros([10, 64]), bias: jnp.zeros([10]) },
        ],
      },
    };
    await expect(load(await safetensorsBytes(narrow, { model: 'mlp' }))).rejects.toThrow(
      /"mlp\.layers\.0\.(weight|bias)": shape differs: like has \[128(, 784)?\], the file has \[64(, 784)?\]/,
    );
  });

  test('a file whose metadata names the other kind', async () => {
    const named = nn.decodeSafetensorsHeader(mlpFile).metadata;
    expect(named.model).toBe('mlp');
    const session = new MnistSession(MLP_CONFIG, data);
    await expect(load(await safetensorsBytes(session.model, { model: 'cnn' }))).rejects.toThrow(
      /missing from the file: "conv1\.(weight|bias)"/,
    );
  });
});
