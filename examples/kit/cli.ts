/**
 * The command line every example shares: flags read with node:util's `parseArgs`, numeric flags checked,
 * `--help`, and errors that print as one line and set the exit code (2 for a bad command line, 1 else).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A mistake in the command line. {@link runCommand} prints its message with a pointer to `--help`
 * and exits with code 2.
 *
 * @example
 * ```ts
 * if (batchSize < 2) throw new UsageError(`--batch-size: expected at least 2, found ${batchSize}`);
 * ```
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Which numbers a numeric flag takes (see {@link numberFlag}). */
export type NumberKind = 'positive integer' | 'non-negative integer' | 'positive number';

const EXPECTED: Record<NumberKind, string> = {
  'positive integer': 'an integer >= 1',
  'non-negative integer': 'an integer >= 0',
  'positive number': 'a number > 0',
};

/**
 * The value of the numeric flag `--name` given as `text`, or `fallback` when it was not given.
 * Throws a {@link UsageError} that names the flag, what it takes and what it found.
 *
 * @example
 * ```ts
 * numberFlag('steps', '200', 400); // 200
 * numberFlag('steps', undefined, 400); // 400
 * numberFlag('lr', '0', 0.01, 'positive number'); // throws "--lr: expected a number > 0, found '0'"
 * ```
 */
export function numberFlag(
  name: string,
  text: string | undefined,
  fallback: number,
  kind: NumberKind = 'positive integer',
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const fits =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (kind === 'non-negative integer' ? value >= 0 : value > 0) &&
    (kind === 'positive number' || Number.isInteger(value));
  if (!fits) throw new UsageError(`--${name}: expected ${EXPECTED[kind]}, found '${text}'`);
  return value;
}

/** The flags a command takes, in `parseArgs`'s form: `{ steps: { type: 'string' }, ... }`. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** What {@link parseFlags} returns for `options`: each flag's value (if given) and `help`. */
export type FlagValues<T extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T }>
>['values'] & { help?: boolean };

/**
 * Reads `args` (by default the process's arguments) as the flags `options` plus `--help` (or `-h`),
 * each `--flag value` or `--flag=value`. A leading `--` is dropped: `pnpm start -- --steps 3` passes
 * it on. A value may start with `-` (`--lr -1`, so that the flag's own check can refuse it) but not
 * with `--` (`--prompt=--x` passes one). Throws a {@link UsageError} for an unknown flag, a missing
 * value, a value given to a boolean flag, or an argument that is not a flag.
 *
 * @example
 * ```ts
 * const values = parseFlags({ steps: { type: 'string' }, plot: { type: 'boolean' } }, ['--steps', '3']);
 * values.steps; // '3' (a string | undefined)
 * values.plot; // undefined (a boolean | undefined)
 * ```
 */
export function parseFlags<const T extends FlagOptions>(
  options: T,
  args: readonly string[] = process.argv.slice(2),
): FlagValues<T> {
  const flags: FlagOptions = { ...options, ...HELP };
  const known = Object.keys(flags).map((name) => `--${name}`);
  // Not strict: node's own errors are worded for programmers, and it refuses `--lr -1`.
  const { values, tokens } = parseArgs({
    args: args[0] === '--' ? args.slice(1) : args,
    options: flags,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') {
      const text = token.kind === 'positional' ? token.value : '--';
      throw new UsageError(`${text}: unexpected argument; expected one of ${known.join(', ')}`);
    }
    const type = flags[token.name]?.type;
    if (type === undefined) {
      throw new UsageError(`${token.rawName}: unknown flag; expected one of ${known.join(', ')}`);
    }
    if (type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName}: takes no value, found '${token.value}'`);
    }
    if (type === 'string' && (token.value === undefined || isFlagLike(token))) {
      throw new UsageError(
        `${token.rawName}: expected a value after it, found ${token.value ?? 'nothing'}`,
      );
    }
  }
  return values as FlagValues<T>;
}

/** Whether the value after a flag is the next flag, i.e. the flag's own value was left out. */
function isFlagLike(token: { value?: string; inlineValue?: boolean }): boolean {
  return token.inlineValue === false && token.value!.startsWith('--');
}

/** Somewhere a command writes text: `process.stdout`, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
}

/** A command's arguments (after the script's name) and where it writes. */
export interface CommandIO {
  args: readonly string[];
  stdout: TextSink;
  stderr: TextSink;
}

/**
 * Runs a command and resolves to its exit code: prints `usage` for `--help` (0); else reads the flags
 * `options` and calls `main` with them (0 when it returns). A {@link UsageError} prints
 * `error: <message>` and a pointer to `--help` (2); any other error prints `error: <message>` (1).
 * Neither prints a stack trace.
 *
 * @example
 * ```ts
 * const written: string[] = [];
 * const io = { args: ['--steps', 'x'], stdout: process.stdout, stderr: { write: (t: string) => written.push(t) } };
 * const code = await runCommand('Usage: ...', { steps: { type: 'string' } }, (values) => {
 *   numberFlag('steps', values.steps, 10);
 * }, io);
 * // code 2; written: "error: --steps: expected an integer >= 1, found 'x'\nrun with --help for the options\n"
 * ```
 */
export async function runCommand<const T extends FlagOptions>(
  usage: string,
  options: T,
  main: (values: FlagValues<T>) => unknown,
  io: CommandIO,
): Promise<number> {
  try {
    const values = parseFlags(options, io.args);
    if (values.help) io.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
    else await main(values);
    return 0;
  } catch (error) {
    const usageError = error instanceof UsageError;
    const hint = usageError ? 'run with --help for the options\n' : '';
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n${hint}`);
    return usageError ? 2 : 1;
  }
}

/**
 * {@link runCommand} on this process's arguments, stdout and stderr; sets `process.exitCode` to its
 * exit code. The body of an example's main.ts.
 *
 * @example
 * ```ts
 * const USAGE = `Trains a model.\n\nOptions:\n  --steps N  optimiser steps (default 400)\n  --help     show this help`;
 *
 * await runMain(USAGE, { steps: { type: 'string' } }, async (values) => {
 *   const steps = numberFlag('steps', values.steps, 400);
 *   await train(steps);
 * });
 * ```
 */
export async function runMain<const T extends FlagOptions>(
  usage: string,
  options: T,
  main: (values: FlagValues<T>) => unknown,
): Promise<void> {
  const { stdout, stderr } = process;
  process.exitCode = await runCommand(usage, options, main, {
    args: process.argv.slice(2),
    stdout,
    stderr,
  });
}
