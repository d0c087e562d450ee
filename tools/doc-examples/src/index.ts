/**
 * Runs every ```ts example in a package's TSDoc comments and README (or in Markdown files such as the
 * documentation site's guides), and checks the results they claim in trailing comments (`expr; // value`,
 * `console.log(expr); // value`), so the documentation cannot rot. Each package calls
 * {@link describeDocExamples} from one test file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

interface Block {
  file: string;
  line: number;
  code: string;
}

// Fenced ```ts blocks; in source files they sit inside `/** ... */`, each line prefixed by ` * `.
function extractBlocks(root: string, file: string): Block[] {
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

// The example without its import declarations (the package is passed in instead), each blanked out line for
// line, so that claims keep their line numbers. Parsed rather than matched, since Prettier may wrap an import.
function withoutImports(code: string): string {
  const sf = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  let text = code;
  for (const statement of [...sf.statements].reverse()) {
    if (!ts.isImportDeclaration(statement)) continue;
    const start = statement.getStart(sf);
    const blank = code.slice(start, statement.end).replace(/[^\n]/g, '');
    text = text.slice(0, start) + blank + text.slice(statement.end);
  }
  return text;
}

// Rewrites each checkable claim into `__claim(line, [actual...], [expected...])`; other lines stay as they are.
function prepare({ line, code }: Block): Prepared {
  const text = withoutImports(code);
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
      // `Float32Array [1, 2]` (or `Float32Array(2) [1, 2]`, as Node prints it) claims a typed array.
      const typed = /^(Float32Array|Int32Array|Uint8Array)(\(\d+\))?\s*(?=\[)/.exec(claimed);
      let expected = typed
        ? leadingLiterals(claimed.slice(typed[0].length), 1)?.map((v) => `new ${typed[1]}(${v})`)
        : leadingLiterals(claimed, actual.length);
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

/** What {@link describeDocExamples} needs to know about a package. */
export interface DocExampleOptions {
  /** The package folder (holding README.md and src/), or the folder that `files` are relative to. */
  root: string;
  /**
   * The files to check, relative to `root`: Markdown (e.g. `docs/guides/backends.md`) or TypeScript.
   * Default: the package's README.md and every `.ts` file under its src/.
   */
  files?: readonly string[];
  /** The package's exports: examples see them as bare names and as `namespaceName.*`. */
  namespace: object;
  /** The name examples use for the whole package, e.g. `tree` for `import * as tree`. */
  namespaceName: string;
  /** Files (relative to `root`) whose examples only show a type, so there is no value to claim. */
  typeOnly?: readonly string[];
  /** Source put before an example, given the example (e.g. a class that examples use undeclared). */
  prelude?: (source: string) => string;
  /** The least number of claims the extractor must find, so a broken extractor cannot pass quietly. */
  minClaims: number;
}

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) =>
      e.isDirectory()
        ? sourceFiles(root, `${dir}/${e.name}`)
        : e.name.endsWith('.ts')
          ? [`${dir}/${e.name}`]
          : [],
    );
}

/** Registers the jest tests that run and check every example of a package. */
export function describeDocExamples(options: DocExampleOptions): void {
  const { root, namespace, namespaceName } = options;
  const typeOnly = new Set(options.typeOnly ?? []);
  const files = options.files ?? ['README.md', ...sourceFiles(root, 'src')];
  const blocks = files
    .flatMap((file) => extractBlocks(root, file))
    .map((b) => ({ ...b, ...prepare(b) }));
  const exportNames = Object.keys(namespace).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  const exportsByName = namespace as Record<string, unknown>;
  type Runner = (...args: unknown[]) => Promise<void>;
  const AsyncFunction = (Object.getPrototypeOf(async function () {}) as { constructor: unknown })
    .constructor as new (...args: string[]) => Runner;

  test.each(blocks)(
    '$file:$line runs and its claims hold',
    async ({ file, source, claimLines }) => {
      const full = options.prelude ? options.prelude(source) : source;
      const { outputText, diagnostics } = ts.transpileModule(full, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        reportDiagnostics: true,
      });
      expect(diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual(
        [],
      );
      const checked = new Set<number>();
      const claim = (line: number, actual: unknown[], expected: unknown[]): void => {
        checked.add(line);
        const at = `${file}:${line}`; // in the diff, so a failure names the claim
        // A claim spelled `Float32Array [...]` also claims the array's type.
        const kind = (v: unknown, like: unknown) =>
          ArrayBuffer.isView(like) ? (v as object).constructor.name : 'any';
        expect({ at, kinds: actual.map((a, i) => kind(a, expected[i])) }).toStrictEqual({
          at,
          kinds: expected.map((e) => kind(e, e)),
        });
        expect({ at, value: plain(actual) }).toStrictEqual({ at, value: plain(expected) });
      };
      // The package under its namespace name and as bare names (the example's own block scope may shadow
      // them), and a console whose log is quiet: its checkable calls are claims by now, the rest are
      // illustrations. An async function, so examples may `await`.
      const params = [namespaceName, ...exportNames, '__claim', 'console'];
      const body = outputText.replace(/^export \{\};?$/m, '');
      const run = new AsyncFunction(...params, `'use strict';\n{\n${body}\n}`);
      await run(namespace, ...exportNames.map((name) => exportsByName[name]), claim, {
        log: () => undefined,
      });
      // A claim that never ran (say, in a `catch` that was not reached) checked nothing.
      expect([...checked].sort((a, b) => a - b)).toEqual(claimLines);
    },
  );

  test('every file with examples checks at least one claim', () => {
    const unchecked = [...new Set(blocks.map((b) => b.file))].filter(
      (file) =>
        !typeOnly.has(file) && blocks.every((b) => b.file !== file || b.claimLines.length === 0),
    );
    expect(unchecked).toEqual([]);
  });

  test('the extractor still finds the claims', () => {
    expect(blocks.reduce((n, b) => n + b.claimLines.length, 0)).toBeGreaterThanOrEqual(
      options.minClaims,
    );
  });
}
