/** Builds the CLI bundle into `outDir` and returns the path of its entry, `coffer.mjs`. */
export function bundleCli(outDir: string): Promise<string>;
