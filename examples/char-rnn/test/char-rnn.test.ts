// The char-rnn example: the corpus encodes and decodes, the model's sequence and step forms agree, sampling
// is reproducible from its key, and a short run of the command line beats character frequencies and writes
// text. Training runs through the command line (tsx), where the CPU kernels run several times faster than
// inside jest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliRun, runCli } from '@equinox-ts/example-kit/run-cli';
import { jnp, random } from 'equinox-ts';
import { decode, encode, makeCorpus, readCorpus, unigramEntropy } from '../corpus.js';
import { CharRnn } from '../model.js';
import { sampleText } from '../sample.js';

const EXAMPLE = join(__dirname, '..');
const corpus = readCorpus(join(EXAMPLE, 'text.txt'));
let run: CliRun;

beforeAll(async () => {
  run = await runCli(EXAMPLE, ['--', '--steps', '60', '--length', '80', '--prompt', 'The sea']);
});

test('the text ships with the example and round-trips through the vocabulary', () => {
  const text = readFileSync(join(EXAMPLE, 'text.txt'), 'utf8');
  expect(text.length).toBeGreaterThan(2000);
  expect(corpus.vocabulary).toEqual([...new Set(text)].sort());
  expect(decode(corpus.ids, corpus.vocabulary)).toBe(text);
  expect(Array.from(encode('aba', ['a', 'b']))).toEqual([0, 1, 0]);
  expect(() => encode('abc', ['a', 'b'])).toThrow('"c"');
});

test('the unigram entropy is that of the character frequencies', () => {
  expect(unigramEntropy(makeCorpus('aaaa'))).toBe(0);
  expect(unigramEntropy(makeCorpus('abab'))).toBeCloseTo(Math.log(2), 12);
  // 'aab': -(2/3 ln 2/3 + 1/3 ln 1/3)
  expect(unigramEntropy(makeCorpus('aab'))).toBeCloseTo(Math.log(3) - (2 / 3) * Math.log(2), 12);
});

test('the model reads a sequence and gives next-character logits at every position', () => {
  const model = new CharRnn({ vocabularySize: 7, hiddenSize: 5 }, random.key(0));
  const sequence = jnp.array([1, 4, 2], { dtype: 'int32' });
  const logits = model.call(sequence);
  expect(logits.shape).toEqual([3, 7]);
  // call is step after step from the initial hidden state.
  let hidden = model.initialHidden();
  for (let t = 0; t < 3; t++) {
    let stepLogits: typeof hidden;
    [stepLogits, hidden] = model.step(sequence.get(t), hidden);
    expect(Array.from(stepLogits.dataSync())).toEqual(Array.from(logits.get(t).dataSync()));
  }
});

test('a short run prints the loss falling below what character frequencies alone can reach', () => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const losses = [...run.stdout.matchAll(/step +(\d+) +loss ([\d.]+) nats/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  expect(losses.map(([step]) => step)).toEqual([25, 50, 60]);
  expect(losses[2]![1]).toBeLessThan(losses[0]![1]!);
  // Context must be used: a model of frequencies alone cannot go below the unigram entropy.
  expect(losses[2]![1]).toBeLessThan(unigramEntropy(corpus) - 0.4);
});

test('the run writes text after the prompt, from the vocabulary', () => {
  const sample = run.stdout.split('Sampled at temperature 0.8:\n\n')[1]!.replace(/\n$/, '');
  expect(sample.startsWith('The sea')).toBe(true);
  expect(sample).toHaveLength('The sea'.length + 80);
  expect([...sample].every((c) => corpus.vocabulary.includes(c))).toBe(true);
});

test('sampling continues the prompt, the same for the same key', async () => {
  const model = new CharRnn(
    { vocabularySize: corpus.vocabulary.length, hiddenSize: 16 },
    random.key(1),
  );
  const options = { key: random.key(3), prompt: 'The sea', length: 30 };
  const text = await sampleText(model, corpus.vocabulary, options);
  expect(text.startsWith('The sea')).toBe(true);
  expect(text).toHaveLength('The sea'.length + 30);
  expect(await sampleText(model, corpus.vocabulary, options)).toBe(text);
  const other = await sampleText(model, corpus.vocabulary, { ...options, key: random.key(4) });
  expect(other).not.toBe(text);
  await expect(sampleText(model, corpus.vocabulary, { ...options, prompt: '~' })).rejects.toThrow(
    '"~"',
  );
});

test('a bad flag is refused with a message that names it', async () => {
  const bad = await runCli(EXAMPLE, ['--temperature', '0']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--temperature: expected a number > 0, found '0'");
});
