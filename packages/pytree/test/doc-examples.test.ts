// Runs every ```ts example in the package's TSDoc comments and README, and checks the results they claim
// in trailing comments (`expr; // value`, `console.log(expr); // value`), so the documentation cannot rot.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import * as pytree from '../src/index.js';

const root = join(__dirname, '..');
const files = [
  'README.md',
  ...readdirSync(join(root, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `src/${f}`),
];
// Files whose examples only show a type annotation, so there is no value to claim.
const TYPE_ONLY = new Set(['src/options.ts']);

interface Block {
  file: string;
  line: number;
  code: string;
}

// Fenced ```ts blocks; in source files they sit inside `/** ... */`, each line prefixed by ` * `.
function extractBlocks(file: string): Block[] {
  const prefix = file.endsWith('.md') ? /^/ : /^\s*\* ?/;
  const blocks: Block[] = [];
  let open: Block | undefined;
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(prefix, '');
      if (!open) {
        if (line.trim() === '```ts') open = { file, line: i + 1, code: '' };
      } else if (line.trim() === '```') {
        blocks.push(open);
        open = undefined;
      } else open.code += `${line}\n`;
    });
  return blocks;
}

// A value literal built only from arrays, objects, strings, numbers, booleans, null and undefined.
function isLiteral(node: ts.Node): boolean {
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isLiteral);
  if (ts.isObjectLiteralExpression(node))
    return node.properties.every(
      (p) =>
        ts.isPropertyAssignment(p) &&
        !ts.isComputedPropertyName(p.name) &&
        isLiteral(p.initializer),
    );
  if (ts.isPrefixUnaryExpression(node))
    return node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand);
  if (ts.isIdentifier(node)) return ['undefined', 'NaN', 'Infinity'].includes(node.text);
  const keywords = [
    ts.SyntaxKind.TrueKeyword,
    ts.SyntaxKind.FalseKeyword,
    ts.SyntaxKind.NullKeyword,
  ];
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || keywords.includes(node.kind);
}

// The `count` literals a comment starts with (the rest is prose, e.g. `[2, 1]: because ...`), or undefined.
// Parsing `_=<comment>` lets the parser's error recovery stop at the end of the first literal.
function leadingLiterals(comment: string, count: number): string[] | undefined {
  const found: string[] = [];
  let rest = comment;
  while (found.length < count) {
    const sf = ts.createSourceFile('claim.ts', `_=${rest}`, ts.ScriptTarget.ES2022);
    const first = sf.statements[0];
    if (!first || !ts.isExpressionStatement(first) || !ts.isBinaryExpression(first.expression))
      return;
    const value = first.expression.right;
    if (!isLiteral(value)) return;
    found.push(value.getText(sf));
    rest = rest.slice(value.end - 2).trimStart();
  }
  return found;
}

interface Prepared {
  source: string;
  claimLines: number[];
}

// Rewrites each checkable claim into `__claim(line, [actual...], [expected...])`; other lines stay as they are.
function prepare({ line, code }: Block): Prepared {
  const text = code.replace(/^import .*$/gm, ''); // the package is passed in instead
  const sf = ts.createSourceFile('example.ts', text, ts.ScriptTarget.ES2022, true);
  const edits: { start: number; end: number; claim: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      // The claim is a comment on the same line, or (top level only) alone on the next line.
      let comment = ts.getTrailingCommentRanges(text, node.end)?.[0];
      const next = ts.getLeadingCommentRanges(text, node.end)?.[0];
      if (
        !comment &&
        next &&
        node.parent === sf &&
        !/\n[^]*\n/.test(text.slice(node.end, next.pos))
      )
        comment = next;
      if (comment?.kind !== ts.SyntaxKind.SingleLineCommentTrivia) return;
      const claimed = text.slice(comment.pos + 2, comment.end).trim();
      const expr = node.expression;
      const isLog = ts.isCallExpression(expr) && expr.expression.getText(sf) === 'console.log';
      const actual = isLog ? expr.arguments.map((a) => a.getText(sf)) : [expr.getText(sf)];
      let expected = leadingLiterals(claimed, actual.length);
      // console.log prints a string unquoted, so `console.log(String(x)); // text` claims the bare text.
      if (!expected && isLog && actual.length === 1 && actual[0]!.startsWith('String('))
        expected = [JSON.stringify(claimed)];
      if (!expected) return;
      const at = line + 1 + sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const claim = `__claim(${at}, [${actual.join(', ')}], [${expected.join(', ')}]);`;
      edits.push({ start: node.getStart(sf), end: node.end, claim, line: at });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  let source = text;
  for (const e of [...edits].reverse())
    source = source.slice(0, e.start) + e.claim + source.slice(e.end);
  // Some examples use the `Point` class of registerPytreeNode's example without declaring it.
  if (/\bPoint\b/.test(source) && !/\bclass Point\b/.test(source))
    source = `class Point { constructor(readonly x: number, readonly y: number) {} }
registerPytreeNode(Point, (p) => [[p.x, p.y], null], (_aux, [x, y]) => new Point(x as number, y as number));
${source}`;
  return { source, claimLines: edits.map((e) => e.line) };
}

// Class instances become plain objects (docs print them as object literals) and typed arrays plain arrays
// (a literal cannot spell them otherwise); everything else compares as is, strings exactly.
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (ArrayBuffer.isView(value)) return Array.from(value as Float32Array);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const blocks = files.flatMap(extractBlocks).map((b) => ({ ...b, ...prepare(b) }));
type Runner = (...args: unknown[]) => void;
const exportNames = Object.keys(pytree).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));

test.each(blocks)('$file:$line runs and its claims hold', ({ file, source, claimLines }) => {
  const { outputText, diagnostics } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  expect(diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  const checked = new Set<number>();
  const claim = (line: number, actual: unknown[], expected: unknown[]): void => {
    checked.add(line);
    const at = `${file}:${line}`; // in the diff, so a failure names the claim
    expect({ at, value: plain(actual) }).toStrictEqual({ at, value: plain(expected) });
  };
  // The package as `tree.*` and as bare names (the example's own block scope may shadow them), and a
  // console whose log is quiet: its checkable calls are claims by now, the rest are illustrations.
  const params = ['tree', ...exportNames, '__claim', 'console'];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the examples is the point
  const run = new Function(...params, `'use strict';\n{\n${outputText}\n}`) as Runner;
  const exportsByName = pytree as unknown as Record<string, unknown>;
  run(pytree, ...exportNames.map((name) => exportsByName[name]), claim, { log: () => undefined });
  // A claim that never ran (say, in a `catch` that was not reached) checked nothing.
  expect([...checked].sort((a, b) => a - b)).toEqual(claimLines);
});

test('every file with examples checks at least one claim', () => {
  const unchecked = [...new Set(blocks.map((b) => b.file))].filter(
    (file) =>
      !TYPE_ONLY.has(file) && blocks.every((b) => b.file !== file || b.claimLines.length === 0),
  );
  expect(unchecked).toEqual([]);
});

test('the extractor still finds the claims', () => {
  expect(blocks.reduce((n, b) => n + b.claimLines.length, 0)).toBeGreaterThanOrEqual(40);
});
