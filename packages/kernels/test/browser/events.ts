/** What the page sends the Node runner through `window.__report`, one event at a time. */
export type TestEvent =
  /** One test's outcome; `path` is its describe titles then its own, `error` null when it passed. */
  | { kind: 'test'; path: readonly string[]; error: string | null; ms: number }
  /** The test file threw while declaring its tests. */
  | { kind: 'load-error'; error: string }
  /** Every test of the file has reported. */
  | { kind: 'done' };
