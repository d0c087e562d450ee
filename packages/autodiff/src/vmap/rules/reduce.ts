/** Batching rules: work in progress. */
export function installReduceRules(): void {}
