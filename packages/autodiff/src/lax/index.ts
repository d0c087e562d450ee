// Filled in by the lax work in progress.
export {};
