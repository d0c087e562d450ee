// PLACEHOLDER (being written): the worker-thread pool behind gemm.ts.
export function startThreads(threads?: number): Promise<number> {
  void threads;
  return Promise.resolve(1);
}
