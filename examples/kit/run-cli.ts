/** Running an example's command line from its tests, as `pnpm start` does, in a process of its own. */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The exit code and the output of one run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main.ts` of the example in `exampleDir` with `args`, there, through tsx with the
 * `@equinox-ts/source` condition (the workspace's TypeScript sources, nothing built). Resolves when it
 * exits, whatever its exit code; rejects only when it could not run or was killed by a signal.
 *
 * @example
 * ```ts
 * const run = await runCli(join(__dirname, '..'), ['--steps', '10']);
 * expect(run.code).toBe(0);
 * ```
 */
export function runCli(exampleDir: string, args: readonly string[]): Promise<CliRun> {
  // tsx as the example itself would find it (the workspace root's node_modules).
  const tsx = createRequire(join(exampleDir, 'package.json')).resolve('tsx/cli');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [tsx, '--conditions=@equinox-ts/source', 'main.ts', ...args],
      { cwd: exampleDir },
      (error, stdout, stderr) => {
        if (error === null) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
        // Killed by a signal, or never started: there is no exit code to report.
        else reject(new Error(`main.ts did not exit: ${error.message}`, { cause: error }));
      },
    );
  });
}
