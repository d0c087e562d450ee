/**
 * The one matcher of the bad-input suite: a call given bad input throws a TypeError, RangeError,
 * TensorError or (for trees) TreeStructureError whose message starts with the operation's name and says what was expected
 * and what was found. Also the small helpers the tables share.
 */
import { TensorError, tree, type Tensor } from '../../src/index.js';

/** What a bad-input case expects of the error. */
export interface BadInputExpectation {
  /** The operation the message must start with (`'matmul'` for `matmul: ...`). */
  op: string;
  /** Substrings the message must contain: the argument's name, the values found. */
  mentions?: readonly string[];
  /** Bad file contents rather than a bad argument: the serialisers' plain Error is expected. */
  corruptData?: true;
}

/** Words that show a message says what was expected (or what is allowed) and what was found. */
const EXPECTED_WORDS =
  /expected|must|need|cannot|out of (range|bounds)|differ|do not|does not|not a|only|no identity|names| but |inside/;
const FOUND_WORDS =
  /found|got|given|\[|\d|its | has | is (running|string|number|boolean|object|undefined|null)/;

/** The error `run` throws, synchronously or as a rejected promise, or a failure when it throws none. */
export async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but the call returned normally');
}

/** Asserts that `error` is a clear bad-input error for `expected.op`. */
export function expectClearError(error: unknown, expected: BadInputExpectation): void {
  const kinds = [TypeError, RangeError, TensorError, tree.TreeStructureError];
  const message = (error as Error).message;
  // Kind and prefix are compared as text, so that a failure shows the message itself.
  const clear =
    kinds.some((k) => error instanceof k) ||
    (expected.corruptData === true && (error as Error).constructor === Error);
  const kind = clear ? 'a clear error' : String(error);
  expect(kind).toBe('a clear error');
  expect(message.slice(0, expected.op.length + 2)).toBe(`${expected.op}: `);
  expect(message).toMatch(EXPECTED_WORDS);
  expect(message).toMatch(FOUND_WORDS);
  for (const text of expected.mentions ?? []) expect(message).toContain(text);
}

/** Runs `run` and asserts it fails with a clear bad-input error for `expected.op`. */
export async function expectBadInput(
  run: () => unknown,
  expected: BadInputExpectation,
): Promise<void> {
  expectClearError(await thrownBy(run), expected);
}

/** A tensor's values as a plain list, for comparing with independently computed expectations. */
export const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** The callable members of a namespace, sorted: what a coverage table must account for. */
export const functionsOf = (namespace: object): string[] =>
  Object.entries(namespace)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k)
    .sort();

/** `value` typed as anything: bad input is, by definition, what the types forbid. */
export const loose = (value: unknown): never => value as never;
