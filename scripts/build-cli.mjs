#!/usr/bin/env node
// Bundles the `coffer` CLI into dist/cli/ as one self-contained ES module (commands still split
// off and loaded lazily). Node 20 pays per module it loads: the unbundled tsc output made
// `coffer get` load ~170 modules (94 of them zod's), several times a bare `node` start.
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');

/** Builds the CLI bundle into `outDir` and returns the path of its entry, `coffer.mjs`. */
export async function bundleCli(outDir) {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entry = await bundleCli(join(root, 'dist/cli-bundle'));
  process.stdout.write(`coffer CLI bundled: ${entry}\n`);
}
