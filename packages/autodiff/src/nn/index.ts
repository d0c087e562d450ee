// Filled in by the nn work in progress.
export {};
