// Every ```ts block of the documentation site's guides (docs/guides/*.md) and of the root README runs
// against the umbrella's exports, and the values it claims hold, so the guides cannot rot. Examples see
// the exports bare and as `eqx`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeDocExamples } from '@equinox-ts/doc-examples';
import * as eqx from '../src/index.js';

const root = join(__dirname, '..', '..', '..');
const guides = readdirSync(join(root, 'docs', 'guides'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/guides/${name}`);

// A guide that switches backends must not leave the next example on another one.
afterEach(() => eqx.setBackend('cpu'));

test('docs/README.md links every guide, and the typedoc site has each once', () => {
  const index = readFileSync(join(root, 'docs', 'README.md'), 'utf8');
  expect(guides.length).toBeGreaterThanOrEqual(9);
  expect(guides.filter((guide) => !index.includes(`(${guide.slice('docs/'.length)})`))).toEqual([]);
  // Listed one by one there, in reading order.
  const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as {
    projectDocuments: string[];
  };
  expect([...typedoc.projectDocuments].sort()).toEqual(guides);
});

describeDocExamples({
  root,
  files: ['README.md', ...guides],
  namespace: eqx,
  namespaceName: 'eqx',
  minClaims: 90,
});
