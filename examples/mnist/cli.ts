/** The command line's behaviour, apart from the process: flags in, exit code out. */
import { runCommand } from '@equinox-ts/example-kit/cli';
import { FLAGS, USAGE, trainOptions } from './args.js';
import { selectBackend } from './backend.js';
import type { ProgressSink } from './progress.js';
import { train } from './train.js';

/** Where the command writes: results to `stdout`, the progress bar and errors to `stderr`. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
}

/**
 * Runs the command line `argv` (the arguments after the script) and resolves to its exit code: 0 after
 * training or `--help`, 2 for a bad flag (a one-line message, no stack trace), 1 when the backend
 * cannot start or training fails.
 */
export function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  return runCommand(
    USAGE,
    FLAGS,
    async (values) => {
      const options = trainOptions(values);
      const backend = await selectBackend(options.backend).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`--backend ${options.backend} could not start: ${reason}`);
      });
      const log = (line: string) => void streams.stdout.write(`${line}\n`);
      log(`backend: ${backend.name}`);
      await train(options, { log, progress: streams.stderr });
    },
    { args: argv, ...streams },
  );
}
