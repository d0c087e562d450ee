/** Batching rules: work in progress. */
export function installConvRules(): void {}
