/**
 * Checks of what the `register*` functions are given, so that a wrong argument fails at registration
 * with a message naming the function and the argument, instead of as an anonymous TypeError (or, for a
 * flatten function that is not one, much later, the first time an instance is flattened).
 */
import { checkFunction, describeValue } from './errors.js';

/** An object that is not an array: what an options or fields argument must be. */
const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws unless `type` is a class (a function with a prototype object). */
export function checkClass(op: string, type: unknown): void {
  const proto = (type as { prototype?: unknown } | null | undefined)?.prototype;
  if (typeof type !== 'function' || typeof proto !== 'object' || proto === null) {
    throw new TypeError(
      `${op}: expected a class as the first argument, found ${describeValue(type)}`,
    );
  }
}

/** Throws unless `options` is absent or an object, and its `subclasses` absent or a boolean. */
export function checkRegisterOptions(op: string, options: unknown): void {
  if (options === undefined) return;
  if (!isObject(options)) {
    throw new TypeError(`${op}: \`options\` must be an object, found ${describeValue(options)}`);
  }
  const { subclasses, flatten } = options as { subclasses?: unknown; flatten?: unknown };
  if (subclasses !== undefined && typeof subclasses !== 'boolean') {
    throw new TypeError(
      `${op}: \`options.subclasses\` must be a boolean, found ${describeValue(subclasses)}`,
    );
  }
  if (flatten !== undefined) checkFunction(op, 'options.flatten', flatten);
}

/** Throws unless `names` is absent (when `optional`) or a list of distinct strings. */
function checkFieldNames(op: string, argument: string, names: unknown, optional: boolean): void {
  if (names === undefined && optional) return;
  if (!Array.isArray(names)) {
    throw new TypeError(
      `${op}: \`${argument}\` must be an array of field names, found ${describeValue(names)}`,
    );
  }
  const bad = names.findIndex((name) => typeof name !== 'string');
  if (bad >= 0) {
    throw new TypeError(
      `${op}: \`${argument}\` must hold field names (strings), found ${describeValue(names[bad])} ` +
        `at index ${bad}`,
    );
  }
}

/** Throws unless `fields` is `{ dataFields, metaFields? }` with each name in one list only. */
export function checkDataclassFields(op: string, fields: unknown): void {
  if (!isObject(fields)) {
    throw new TypeError(
      `${op}: \`fields\` must be an object { dataFields, metaFields? }, found ${describeValue(fields)}`,
    );
  }
  const { dataFields, metaFields } = fields as { dataFields?: unknown; metaFields?: unknown };
  checkFieldNames(op, 'fields.dataFields', dataFields, false);
  checkFieldNames(op, 'fields.metaFields', metaFields, true);
  const seen = new Set<string>();
  for (const name of [
    ...(dataFields as string[]),
    ...((metaFields as string[] | undefined) ?? []),
  ]) {
    if (seen.has(name)) {
      throw new TypeError(
        `${op}: the field ${JSON.stringify(name)} is listed twice in \`fields\`; expected each field ` +
          'in dataFields or metaFields, once',
      );
    }
    seen.add(name);
  }
}
