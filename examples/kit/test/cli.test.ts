// The shared command line: flags typed as declared, refusals that name the flag, numeric flags, and
// runCommand's output and exit codes (0 done or --help, 2 bad command line, 1 any other failure).
import { type CommandIO, UsageError, numberFlag, parseFlags, runCommand } from '../cli.js';

const OPTIONS = {
  steps: { type: 'string' },
  plot: { type: 'boolean' },
  point: { type: 'string', multiple: true },
} as const;

test('flags take a value after them or after =, a leading -- is dropped, and types follow the options', () => {
  const values = parseFlags(OPTIONS, [
    '--',
    '--steps',
    '3',
    '--plot',
    '--point=1,2',
    '--point',
    '-1,0',
  ]);
  expect({ ...values }).toEqual({ steps: '3', plot: true, point: ['1,2', '-1,0'] });
  const steps: string | undefined = values.steps;
  const plot: boolean | undefined = values.plot;
  const points: string[] | undefined = values.point;
  expect([steps, plot, points]).toEqual([values.steps, values.plot, values.point]);
  // @ts-expect-error a string flag's value is a string, not a number
  const wrong: number | undefined = values.steps;
  expect(wrong).toBe('3');
  expect({ ...parseFlags(OPTIONS, []) }).toEqual({});
});

test('--help and -h are always known', () => {
  expect(parseFlags(OPTIONS, ['--steps', '3', '--help']).help).toBe(true);
  expect(parseFlags(OPTIONS, ['-h']).help).toBe(true);
  expect(parseFlags(OPTIONS, ['--steps=3']).help).toBeUndefined();
});

test.each([
  [['--step', '3'], '--step: unknown flag; expected one of --steps, --plot, --point, --help'],
  [['-x'], '-x: unknown flag; expected one of --steps'],
  [['--steps'], '--steps: expected a value after it, found nothing'],
  [['--steps', '--plot'], '--steps: expected a value after it, found --plot'],
  [['--plot=yes'], "--plot: takes no value, found 'yes'"],
  [['3'], '3: unexpected argument; expected one of --steps'],
  [['--plot', 'yes'], 'yes: unexpected argument'],
  [['--steps', '3', '--', '--plot'], '--: unexpected argument'],
])('%j is refused: %s', (args, message) => {
  expect(() => parseFlags(OPTIONS, args)).toThrow(UsageError);
  expect(() => parseFlags(OPTIONS, args)).toThrow(message);
});

test('a value may start with a single dash, or with two after =', () => {
  expect(parseFlags(OPTIONS, ['--steps', '-3']).steps).toBe('-3');
  expect(parseFlags(OPTIONS, ['--steps=--3']).steps).toBe('--3');
  expect(parseFlags(OPTIONS, ['--steps=']).steps).toBe('');
});

test('numberFlag gives the fallback when not given, else the number of the kind asked for', () => {
  expect(numberFlag('steps', undefined, 400)).toBe(400);
  expect(numberFlag('steps', ' 12 ', 400)).toBe(12);
  expect(numberFlag('steps', '1e3', 400)).toBe(1000);
  expect(numberFlag('seed', '0', 5, 'non-negative integer')).toBe(0);
  expect(numberFlag('lr', '2.5e-3', 0.01, 'positive number')).toBe(0.0025);
});

test.each([
  ['positive integer', '0', "--n: expected an integer >= 1, found '0'"],
  ['positive integer', '2.5', "--n: expected an integer >= 1, found '2.5'"],
  ['positive integer', 'ten', "--n: expected an integer >= 1, found 'ten'"],
  ['positive integer', '', "--n: expected an integer >= 1, found ''"],
  ['non-negative integer', '-1', "--n: expected an integer >= 0, found '-1'"],
  ['non-negative integer', 'Infinity', "--n: expected an integer >= 0, found 'Infinity'"],
  ['positive number', '0', "--n: expected a number > 0, found '0'"],
  ['positive number', ' ', "--n: expected a number > 0, found ' '"],
] as const)('numberFlag as a %s refuses %j', (kind, text, message) => {
  expect(() => numberFlag('n', text, 1, kind)).toThrow(new UsageError(message));
});

/** Runs `main` as a command over `args`, collecting what it writes. */
async function run(args: string[], main: (values: { steps?: string }) => unknown = () => {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CommandIO = {
    args,
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { write: (text: string) => stderr.push(text) },
  };
  const code = await runCommand('Usage: demo [--steps N]', { steps: { type: 'string' } }, main, io);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

test('--help prints the usage, ending in a newline, and main does not run', async () => {
  const main = jest.fn();
  expect(await run(['--steps', '2', '--help'], main)).toEqual({
    code: 0,
    stdout: 'Usage: demo [--steps N]\n',
    stderr: '',
  });
  expect(main).not.toHaveBeenCalled();
});

test('main gets the values; its success is exit code 0', async () => {
  const seen: unknown[] = [];
  const result = await run(['--steps', '2'], async (values) => {
    await Promise.resolve();
    seen.push(values.steps);
  });
  expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(seen).toEqual(['2']);
});

test('a bad command line prints one error line and the pointer to --help, and exits 2', async () => {
  const main = jest.fn();
  expect(await run(['--stpes', '2'], main)).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'error: --stpes: unknown flag; expected one of --steps, --help\nrun with --help for the options\n',
  });
  expect(main).not.toHaveBeenCalled();
  const invalid = await run(['--steps', '0'], (values) => numberFlag('steps', values.steps, 1));
  expect(invalid.code).toBe(2);
  expect(invalid.stderr).toBe(
    "error: --steps: expected an integer >= 1, found '0'\nrun with --help for the options\n",
  );
});

test('any other failure prints its message without a stack trace, and exits 1', async () => {
  const failed = await run([], () => Promise.reject(new Error('no checkpoint at x.safetensors')));
  expect(failed).toEqual({
    code: 1,
    stdout: '',
    stderr: 'error: no checkpoint at x.safetensors\n',
  });
  // What a dependency may throw.
  const notAnError: unknown = 'not an Error';
  const thrown = await run([], () => {
    throw notAnError;
  });
  expect(thrown).toEqual({ code: 1, stdout: '', stderr: 'error: not an Error\n' });
});
