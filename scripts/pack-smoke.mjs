#!/usr/bin/env node
// Proves every publishable package works from its tarball, the way a user installs it:
// builds, `pnpm pack`s each package under packages/, installs each tarball alone into an empty temporary
// project with npm, then imports it with plain Node (ESM), typechecks its README's first ```ts example
// against the installed .d.ts files and runs that example.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const sh = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

sh(bin('turbo'), ['run', 'build', '--output-logs=errors-only'], root);
const work = mkdtempSync(join(tmpdir(), 'equinox-ts-pack-'));
let failures = 0;
try {
  const tarballs = new Map();
  const manifests = new Map();
  for (const dir of packages) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const out = sh('pnpm', ['pack', '--pack-destination', work, '--json'], dir);
    tarballs.set(manifest.name, JSON.parse(out).filename);
    manifests.set(manifest.name, { ...manifest, dir });
  }
  // A package's own tarball plus those of the workspace packages it depends on, transitively.
  const closure = (name, seen = new Set()) => {
    if (seen.has(name)) return seen;
    seen.add(name);
    for (const dep of Object.keys(manifests.get(name).dependencies ?? {})) {
      if (manifests.has(dep)) closure(dep, seen);
    }
    return seen;
  };
  for (const name of tarballs.keys()) {
    const project = mkdtempSync(join(work, 'project-'));
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'smoke', private: true, type: 'module' }),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          module: 'NodeNext',
          strict: true,
          noEmit: true,
        },
        include: ['example.ts'],
      }),
    );
    try {
      // Workspace dependencies come from their own tarballs, never the registry (not published yet).
      const local = [...closure(name)].map((dep) => tarballs.get(dep));
      sh('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...local], project);
      sh(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
        ],
        project,
      );
      const readme = readFileSync(join(manifests.get(name).dir, 'README.md'), 'utf8');
      const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      if (!example) throw new Error(`${name}: README.md has no \`\`\`ts example`);
      writeFileSync(join(project, 'example.ts'), example);
      sh(bin('tsc'), ['-p', 'tsconfig.json'], project);
      const output = sh(bin('tsx'), ['example.ts'], project);
      console.log(
        `pack-smoke: ${name}: installed alone, imported, README example typechecked and ran`,
      );
      if (process.env.PACK_SMOKE_VERBOSE) console.log(output);
    } catch (error) {
      failures++;
      console.error(`pack-smoke: ${name}: FAILED\n${error.stdout ?? ''}${error.message}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const counts = { passed: packages.length - failures, failed: failures };
writeFileSync(join(root, '.test-results.json'), `${JSON.stringify(counts)}\n`);
console.log(`pack-smoke: ${counts.passed} of ${packages.length} packages work from their tarballs`);
process.exit(failures === 0 ? 0 : 1);
