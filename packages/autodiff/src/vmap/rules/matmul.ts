/** Batching rules: work in progress. */
export function installMatmulRules(): void {}
