#!/usr/bin/env node
// Fails unless every public symbol of every package has a TSDoc comment with an @example. Reads the JSON
// that typedoc writes next to the HTML site (docs/api/api.json; see typedoc.json). typedoc itself already
// fails on undocumented symbols; this adds the example.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = JSON.parse(readFileSync(join(root, 'docs', 'api', 'api.json'), 'utf8'));
const MODULE_KINDS = new Set([1, 2]); // project, module

const missing = [];
const visit = (reflection, where) => {
  for (const child of reflection.children ?? []) {
    if (MODULE_KINDS.has(child.kind)) {
      visit(child, child.name);
      continue;
    }
    const comment = child.comment ?? child.signatures?.[0]?.comment;
    if (!comment?.blockTags?.some((tag) => tag.tag === '@example'))
      missing.push(`${where}: ${child.name}`);
  }
};
visit(project, project.name);
if (missing.length > 0) {
  console.error(`These public symbols have no @example in their TSDoc:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log('check-doc-examples: every public symbol has an example');
