/**
 * The header of an NPY record: a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, written as NumPy writes it and read by a
 * parser for exactly the literals such a header holds (strings, True/False, tuples of integers).
 */

/** What a header says about its record's data. */
export interface NpyHeader {
  /** NumPy's type string: `<f4`, `|b1`, ... */
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
}

/** Alignment of the data NumPy (1.16 and later) pads its headers to. */
const ARRAY_ALIGN = 64;
/** NumPy leaves room after the dict for the first axis to grow to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** The magic string, the version bytes and the 2-byte header length of format 1.0. */
const PREFIX_LENGTH = 10;

/** The bytes of a version 1.0 header (magic string included), byte for byte as `np.save` writes it. */
export function formatNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const padding = ARRAY_ALIGN - ((PREFIX_LENGTH + dict.length + 1) % ARRAY_ALIGN);
  const text = `${dict}${' '.repeat(padding)}\n`;
  const out = new Uint8Array(PREFIX_LENGTH + text.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY, version 1.0
  new DataView(out.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[PREFIX_LENGTH + i] = text.charCodeAt(i);
  return out;
}

type Literal = string | boolean | number | Literal[] | { tuple: number[] };

/** Parses `text` as a header; throws an Error saying what is wrong (the caller adds where). */
export function parseNpyHeader(text: string): NpyHeader {
  let at = 0;
  const problem = (what: string): never => {
    const shown = text.trim();
    const clipped = shown.length > 120 ? `${shown.slice(0, 120)}…` : shown;
    throw new Error(
      `the header ${JSON.stringify(clipped)} is not valid: ${what} at character ${at}`,
    );
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) problem(`expected '${char}'`);
    at++;
  };
  const parseString = (): string => {
    const quote = text[at]!;
    const end = text.indexOf(quote, at + 1);
    if (end < 0 || text.slice(at + 1, end).includes('\\')) problem('unsupported string');
    const value = text.slice(at + 1, end);
    at = end + 1;
    return value;
  };
  const parseInteger = (): number => {
    const digits = /^\d+L?/.exec(text.slice(at))?.[0] ?? problem('expected an integer');
    at += digits.length;
    const value = Number(digits.replace('L', ''));
    if (!Number.isSafeInteger(value)) problem(`the dimension ${digits} is too large`);
    return value;
  };
  // A tuple of integers, or a parenthesised integer (no trailing comma: not a tuple, as in Python).
  const parseParenthesised = (): Literal => {
    at++;
    const items: number[] = [];
    let comma = false;
    for (skipSpace(); text[at] !== ')'; skipSpace()) {
      items.push(parseInteger());
      skipSpace();
      comma = text[at] === ',';
      if (comma) at++;
      else if (text[at] !== ')') problem("expected ',' or ')'");
    }
    at++;
    return items.length === 1 && !comma ? items[0]! : { tuple: items };
  };
  const parseValue = (): Literal => {
    skipSpace();
    const char = text[at];
    if (char === "'" || char === '"') return parseString();
    if (char === '(') return parseParenthesised();
    if (char === '[') problem('structured dtypes are not supported');
    for (const [word, value] of [
      ['True', true],
      ['False', false],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    if (char !== undefined && /\d/.test(char)) return parseInteger();
    return problem('unexpected value');
  };
  const entries = new Map<string, Literal>();
  expect('{');
  for (skipSpace(); text[at] !== '}'; skipSpace()) {
    if (text[at] !== "'" && text[at] !== '"') problem('expected a string key');
    const key = parseString();
    if (entries.has(key)) problem(`the key '${key}' appears twice`);
    expect(':');
    entries.set(key, parseValue());
    skipSpace();
    if (text[at] === ',') at++;
    else if (text[at] !== '}') problem("expected ',' or '}'");
  }
  at++;
  skipSpace();
  if (at !== text.length) problem('unexpected text after the dict');
  return checkEntries(entries, problem);
}

function checkEntries(entries: Map<string, Literal>, problem: (what: string) => never): NpyHeader {
  const keys = [...entries.keys()].sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    problem(`the keys must be 'descr', 'fortran_order' and 'shape', found ${keys.join(', ')}`);
  }
  const descr = entries.get('descr');
  const fortranOrder = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (typeof descr !== 'string') problem("'descr' is not a string");
  if (typeof fortranOrder !== 'boolean') problem("'fortran_order' is not True or False");
  if (typeof shape !== 'object' || !('tuple' in shape)) problem("'shape' is not a tuple");
  return { descr, fortranOrder, shape: shape.tuple };
}
