// Bundles the `coffer` CLI as one self-contained ES module (commands still split
// off and loaded lazily). Node 20 pays per module it loads: the unbundled tsc output made
// `coffer get` load ~170 modules (94 of them zod's), several times a bare `node` start.
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const repositoryRoot = resolve(import.meta.dirname, '..');

/**
 * Builds the CLI bundle into `outDir` and returns the path of its entry, `coffer.mjs`. Callers
 * that are themselves bundled elsewhere (the benchmarks) pass the repository root.
 */
export async function bundleCli(outDir, root = repositoryRoot) {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: join(root, 'cli/main.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'coffer.mjs' } },
    },
  });
  const entry = join(outDir, 'coffer.mjs');
  chmodSync(entry, 0o755);
  return entry;
}
