#!/usr/bin/env node
// Proves every publishable package works from its tarball, the way a user installs it: builds and
// `pnpm pack`s each package under packages/, then for each one makes an empty project, installs its tarball
// (with the tarballs of the workspace packages it depends on, nothing else) with npm, imports it with plain
// Node (ESM), typechecks its README's first ```ts example against the installed .d.ts files, and runs it.
// The root README's quick example gets the same treatment with every package installed. Before that, each
// package.json must set the fields a published package needs, and each tarball must hold nothing stray.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// On Windows npm, pnpm and the tools in node_modules/.bin are .cmd files, which Node (>= 20.12) runs only
// through a shell; the shell needs paths with spaces quoted.
const isWindows = process.platform === 'win32';
const cmd = (name) => (isWindows ? `${name}.cmd` : name);
const quote = (arg) => (/\s/.test(arg) ? `"${arg}"` : arg);
const bin = (name) => join(root, 'node_modules', '.bin', cmd(name));
const sh = (command, args, cwd) => {
  const shell = isWindows && command.endsWith('.cmd');
  return execFileSync(shell ? quote(command) : command, shell ? args.map(quote) : args, {
    cwd,
    shell,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
};
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

const manifests = new Map(
  readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir))
    .map((dir) => ({ ...readJson(join(dir, 'package.json')), dir }))
    .filter((manifest) => !manifest.private)
    .map((manifest) => [manifest.name, manifest]),
);

/** `name` and the workspace packages it depends on, transitively. */
function closure(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dep of Object.keys(manifests.get(name).dependencies ?? {})) {
    if (manifests.has(dep)) closure(dep, seen);
  }
  return seen;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    strict: true,
    noEmit: true,
  },
  include: ['example.ts'],
};

/** What a published package.json must set. */
const REQUIRED_FIELDS = ['license', 'repository', 'files', 'sideEffects', 'exports', 'types'];

/** Why `manifest` is not ready to publish, if it is not. */
function manifestProblems(manifest) {
  const missing = REQUIRED_FIELDS.filter((field) => manifest[field] === undefined);
  const problems = missing.length > 0 ? [`package.json lacks ${missing.join(', ')}`] : [];
  if (manifest.repository?.directory !== `packages/${manifest.dir.split(/[\\/]/).pop()}`)
    problems.push('repository.directory does not name the package folder');
  return problems;
}

/**
 * The packed paths that should not be there: anything but the manifest, README, licence, changelog, the
 * TypeScript sources (no tests) and the build of a source that still exists (no stale outputs).
 */
function strayFiles(dir, paths) {
  const built = (path) => {
    const match = /^dist\/(.*?)(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/.exec(path);
    return match !== null && existsSync(join(dir, 'src', `${match[1]}.ts`));
  };
  return paths.filter(
    (path) =>
      !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(path) &&
      !(/^src\/.*\.ts$/.test(path) && !/\.test\.ts$/.test(path)) &&
      !built(path),
  );
}

/** Installs `names` from their tarballs into an empty project, imports each, runs the README example. */
function check(work, tarballs, names, readmeFile) {
  const project = mkdtempSync(join(work, 'project-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  sh(
    cmd('npm'),
    ['install', '--no-audit', '--no-fund', '--no-save', ...names.map((n) => tarballs.get(n))],
    project,
  );
  for (const name of names) {
    const probe = `const m = await import(${JSON.stringify(name)});
      if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${name} has no exports`)});`;
    sh(process.execPath, ['--input-type=module', '-e', probe], project);
  }
  const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(readmeFile, 'utf8'))?.[1];
  if (!example) throw new Error(`${readmeFile} has no \`\`\`ts example`);
  writeFileSync(join(project, 'example.ts'), example);
  sh(bin('tsc'), ['-p', 'tsconfig.json'], project);
  return sh(bin('tsx'), ['example.ts'], project);
}

sh(bin('turbo'), ['run', 'build', '--output-logs=errors-only'], root);
const work = mkdtempSync(join(tmpdir(), 'equinox-ts-pack-'));
const checks = [
  ...[...manifests.values()].map(({ name, dir }) => ({
    label: `${name} installed alone`,
    names: [...closure(name)],
    readme: join(dir, 'README.md'),
  })),
  { label: 'the root README', names: [...manifests.keys()], readme: join(root, 'README.md') },
];
let failed = 0;
try {
  const tarballs = new Map();
  for (const manifest of manifests.values()) {
    const { name, dir } = manifest;
    const packed = JSON.parse(sh(cmd('pnpm'), ['pack', '--pack-destination', work, '--json'], dir));
    tarballs.set(name, packed.filename);
    const stray = strayFiles(
      dir,
      packed.files.map((file) => file.path),
    );
    const problems = [
      ...manifestProblems(manifest),
      ...(stray.length > 0 ? [`stray files in the tarball: ${stray.join(', ')}`] : []),
    ];
    checks.push({ label: `${name} manifest and tarball`, problems });
  }
  for (const { label, names, readme, problems } of checks) {
    if (problems) {
      if (problems.length > 0) {
        failed++;
        console.error(`pack-smoke: ${label}: FAILED\n  ${problems.join('\n  ')}`);
      } else console.log(`pack-smoke: ${label}: fields set, nothing stray`);
      continue;
    }
    try {
      const output = check(work, tarballs, names, readme);
      console.log(`pack-smoke: ${label}: imported; README example typechecked and ran`);
      if (process.env.PACK_SMOKE_VERBOSE) console.log(output);
    } catch (error) {
      failed++;
      console.error(`pack-smoke: ${label}: FAILED\n${error.stdout ?? ''}${error.message}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const counts = { passed: checks.length - failed, failed };
writeFileSync(join(root, '.test-results.json'), `${JSON.stringify(counts)}\n`);
console.log(`pack-smoke: ${counts.passed} of ${checks.length} checks passed`);
process.exit(failed === 0 ? 0 : 1);
