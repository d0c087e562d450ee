/** Batching rules: work in progress. */
export function installLayoutRules(): void {}
