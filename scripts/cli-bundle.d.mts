/**
 * Builds the CLI bundle into `outDir` and returns the path of its entry, `coffer.mjs`. Callers
 * that are themselves bundled elsewhere (the benchmarks) pass the repository root.
 */
export function bundleCli(outDir: string, root?: string): Promise<string>;
