// Filled in by the random work in progress.
export {};
