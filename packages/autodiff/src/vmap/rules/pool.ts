/** Batching rules: work in progress. */
export function installPoolRules(): void {}
