#!/usr/bin/env node
// Runs a root script with the pinned pnpm on a machine that has only Node and npm:
//   node scripts/bootstrap.mjs <script>     (what `npm test` and `npm start` call)
// It installs pnpm (the version in package.json's packageManager) into .tools/ if it is missing, installs
// the workspace from the lockfile, then runs `pnpm run <script>`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/bootstrap.mjs <root script> [args...]');
  process.exit(2);
}

const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = packageManager.replace(/^pnpm@/, '');
const tools = join(root, '.tools');
const pnpm = join(tools, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');

// npm passes its own settings to child processes as npm_config_* variables (its prefix, cache, user agent...),
// which would leak into every tool below. They go, except the networking ones that a user or CI sets on
// purpose (a registry, scoped ones included, a proxy, CA certificates), which the npm calls here and in
// scripts/pack-smoke.mjs should honour. (pnpm 12 itself reads pnpm_config_* variables and .npmrc, not these.)
// Scripts that call `pnpm` themselves find the pinned one first on PATH.
const NETWORK_CONFIG =
  /^npm_config_(registry|@[^:]+:registry|proxy|https_proxy|http_proxy|noproxy|no_proxy|cafile|ca|strict_ssl)$/i;
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name, value]) => !/^npm_/i.test(name) || (NETWORK_CONFIG.test(name) && value !== ''),
  ),
);
env.PATH = [join(tools, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
env.TURBO_TELEMETRY_DISABLED ??= '1';

// On Windows npm is npm.cmd, which Node (>= 20.12) runs only through a shell; the shell needs paths with
// spaces quoted.
const isWindows = process.platform === 'win32';
const quote = (arg) => (isWindows && /\s/.test(arg) ? `"${arg}"` : arg);

function run(command, commandArgs, { shell = false } = {}) {
  const result = shell
    ? spawnSync(quote(command), commandArgs.map(quote), { cwd: root, env, stdio: 'inherit', shell })
    : spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function installedPnpmVersion() {
  const manifest = join(tools, 'node_modules', 'pnpm', 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

if (installedPnpmVersion() !== pnpmVersion) {
  console.log(`bootstrap: installing pnpm ${pnpmVersion} into .tools/`);
  run(
    isWindows ? 'npm.cmd' : 'npm',
    ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', `pnpm@${pnpmVersion}`],
    { shell: isWindows },
  );
}
run(process.execPath, [pnpm, 'install', '--frozen-lockfile']);
// `--` hands the arguments to the script (`npm start -- --help` is the main job's help, not pnpm's).
run(process.execPath, [pnpm, 'run', script, ...(args.length > 0 ? ['--', ...args] : [])]);
