/** Batching rules: work in progress. */
export function installElementwiseRules(): void {}
