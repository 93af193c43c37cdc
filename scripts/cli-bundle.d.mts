/**
 * Builds the CLI into `outDir` (emptied first) and returns the path of its entry, `coffer.cjs`.
 * Callers that are themselves bundled elsewhere (the benchmarks) pass the repository root.
 */
export function bundleCli(outDir: string, root?: string): Promise<string>;
