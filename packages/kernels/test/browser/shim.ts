/**
 * Just enough of jest's API for the conformance files to run in a browser page: describe, it/test, their
 * `.each`, beforeAll/afterAll, and `expect` with the matchers those files use. Loading this module
 * installs the globals; `runFile` then imports one bundled test file and runs what it declared, sending
 * each result to the Node runner (see run.ts) as it comes.
 */
import type { TestEvent } from './events.js';
import { equals, show } from './equals.js';

type Fn = () => unknown;
interface Test {
  kind: 'test';
  name: string;
  fn: Fn;
}
interface Suite {
  kind: 'suite';
  name: string;
  children: (Suite | Test)[];
  beforeAll: Fn[];
  afterAll: Fn[];
}

/** As jest's default timeout (5 s) is too short for kernels compiled and run on a software GPU. */
const TIMEOUT_MS = 60_000;

const root: Suite = { kind: 'suite', name: '', children: [], beforeAll: [], afterAll: [] };
let current = root;

function describe(name: string, fn: () => void): void {
  const suite: Suite = { kind: 'suite', name, children: [], beforeAll: [], afterAll: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    fn();
  } finally {
    current = parent;
  }
}

function it(name: string, fn: Fn): void {
  current.children.push({ kind: 'test', name, fn });
}

/** A title with jest's printf placeholders filled from a table row. */
function title(template: string, args: readonly unknown[], index: number): string {
  let i = 0;
  return template.replace(/%([sdijp#%])/g, (whole, c: string) => {
    if (c === '%') return '%';
    if (c === '#') return String(index);
    if (i >= args.length) return whole;
    const v = args[i++];
    if (c === 'j') return JSON.stringify(v);
    if (c === 'p') return show(v);
    if (c === 'd') return String(Number(v));
    if (c === 'i') return String(Math.trunc(Number(v)));
    return typeof v === 'string' ? v : show(v);
  });
}

/** jest's `.each`: array rows are spread into the callback's arguments, other rows passed alone. */
function each(declare: (name: string, fn: Fn) => void) {
  return (table: readonly unknown[]) =>
    (template: string, fn: (...args: unknown[]) => unknown): void => {
      table.forEach((row, index) => {
        const args: unknown[] = Array.isArray(row) ? (row as unknown[]) : [row];
        declare(title(template, args, index), () => fn(...args));
      });
    };
}

function throwsMatch(error: unknown, expected: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (expected === undefined) return null;
  if (typeof expected === 'string') {
    return message.includes(expected) ? null : `message ${show(message)} lacks ${show(expected)}`;
  }
  if (expected instanceof RegExp) {
    return expected.test(message) ? null : `message ${show(message)} does not match ${expected}`;
  }
  if (typeof expected === 'function') {
    return error instanceof expected
      ? null
      : `threw ${show(error)}, not an instance of ${(expected as { name: string }).name}`;
  }
  throw new Error(`shim: toThrow(${show(expected)}) is not supported`);
}

function fail(matcher: string, detail: string): never {
  throw new Error(`expect(received).${matcher}\n${detail}`);
}

function expect(received: unknown) {
  const pair = (expected: unknown) => `Expected: ${show(expected)}\nReceived: ${show(received)}`;
  return {
    toBe(expected: unknown) {
      if (!Object.is(received, expected)) fail('toBe(expected)', pair(expected));
    },
    toEqual(expected: unknown) {
      if (!equals(received, expected, false)) fail('toEqual(expected)', pair(expected));
    },
    toStrictEqual(expected: unknown) {
      if (!equals(received, expected, true)) fail('toStrictEqual(expected)', pair(expected));
    },
    toBeUndefined() {
      if (received !== undefined) fail('toBeUndefined()', `Received: ${show(received)}`);
    },
    toBeInstanceOf(expected: new (...args: never[]) => unknown) {
      if (!(received instanceof expected)) {
        fail('toBeInstanceOf(expected)', `Expected: ${expected.name}\nReceived: ${show(received)}`);
      }
    },
    toBeGreaterThan(expected: number) {
      if (!((received as number) > expected)) fail('toBeGreaterThan(expected)', pair(expected));
    },
    toBeLessThan(expected: number) {
      if (!((received as number) < expected)) fail('toBeLessThan(expected)', pair(expected));
    },
    toHaveLength(expected: number) {
      const length = (received as { length?: unknown } | null)?.length;
      if (length !== expected) fail('toHaveLength(expected)', pair(expected));
    },
    toThrow(expected?: unknown) {
      if (typeof received !== 'function') fail('toThrow()', 'Received is not a function');
      try {
        (received as Fn)();
      } catch (error) {
        const problem = throwsMatch(error, expected);
        if (problem !== null) fail('toThrow(expected)', problem);
        return;
      }
      fail('toThrow(expected)', 'Received function did not throw');
    },
    rejects: {
      async toThrow(expected?: unknown) {
        try {
          await received;
        } catch (error) {
          const problem = throwsMatch(error, expected);
          if (problem !== null) fail('rejects.toThrow(expected)', problem);
          return;
        }
        fail('rejects.toThrow(expected)', 'Received promise resolved instead of rejecting');
      },
    },
  };
}

describe.each = each(describe);
it.each = each(it);

Object.assign(globalThis, {
  describe,
  it,
  test: it,
  expect,
  beforeAll: (fn: Fn) => current.beforeAll.push(fn),
  afterAll: (fn: Fn) => current.afterAll.push(fn),
});

/** Runs `fn` (sync or async), failing it after TIMEOUT_MS. */
async function timed(fn: Fn, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([Promise.resolve().then(fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return show(error);
}

const report = (event: TestEvent): Promise<void> =>
  (globalThis as unknown as { __report: (e: TestEvent) => Promise<void> }).__report(event);

function tests(suite: Suite): number {
  return suite.children.reduce((n, c) => n + (c.kind === 'test' ? 1 : tests(c)), 0);
}

/**
 * Runs a suite as jest does: its beforeAll hooks, then its tests and nested suites in order, then its
 * afterAll hooks. A failing beforeAll fails every test inside (a backend that cannot start fails its
 * tests, it does not skip them); a failing afterAll is reported as a failure of its own.
 */
async function runSuite(
  suite: Suite,
  path: readonly string[],
  broken: string | null,
): Promise<void> {
  if (tests(suite) === 0) return;
  let error = broken;
  for (const hook of suite.beforeAll) {
    if (error !== null) break;
    try {
      await timed(hook, 'beforeAll');
    } catch (e) {
      error = `beforeAll failed: ${describeError(e)}`;
    }
  }
  for (const child of suite.children) {
    const childPath = [...path, child.name];
    if (child.kind === 'suite') {
      await runSuite(child, childPath, error);
      continue;
    }
    const start = performance.now();
    let failure = error;
    if (failure === null) {
      try {
        await timed(child.fn, 'test');
      } catch (e) {
        failure = describeError(e);
      }
    }
    await report({ kind: 'test', path: childPath, error: failure, ms: performance.now() - start });
  }
  for (const hook of suite.afterAll) {
    try {
      await timed(hook, 'afterAll');
    } catch (e) {
      const event = { kind: 'test', path: [...path, 'afterAll'], ms: 0 } as const;
      await report({ ...event, error: `afterAll failed: ${describeError(e)}` });
    }
  }
}

/** Imports the bundled test file `name` (which declares its tests) and runs them. */
export async function runFile(name: string): Promise<void> {
  try {
    // A URL, not a literal, so that esbuild leaves this import to the browser.
    await import(new URL(`./${name}.js`, import.meta.url).href);
  } catch (e) {
    await report({ kind: 'load-error', error: describeError(e) });
    return;
  }
  await runSuite(root, [], null);
  await report({ kind: 'done' });
}
