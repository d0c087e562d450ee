/** The current stack trace, deeper than the default, for the debug tools' reports. */

/**
 * The stack at the caller, up to `depth` frames: a user's frame can sit under many frames of
 * transformations. `Error.stackTraceLimit` is V8's (Node, Chromium), not in the ES library's types;
 * elsewhere the engine's own depth applies.
 */
export function stackTrace(depth: number): string {
  const errors = Error as unknown as { stackTraceLimit?: number };
  const limit = errors.stackTraceLimit;
  errors.stackTraceLimit = depth;
  try {
    return new Error().stack ?? '';
  } finally {
    errors.stackTraceLimit = limit;
  }
}
