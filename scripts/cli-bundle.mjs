// Bundles the `coffer` CLI as one self-contained ES module (commands still split
// off and loaded lazily). Node 20 pays per module it loads: the unbundled tsc output made
// `coffer get` load ~170 modules (94 of them zod's), several times a bare `node` start.
//
// Chunks (issue #5, `npm run bench -- cli`): left to itself the bundler split the shared code
// into ~40 small chunks, 18 of them loaded by `coffer get`, each one a file open, stat, format
// check and compile. The groups below keep that to five files: the entry, `start` (what the
// entry itself needs: `--version` and `help` load nothing else), `zod` (with cli/zod-setup.ts,
// so zod is configured before any schema is built), `vault` (the client, its configuration and
// the `get` and `list` commands) and the command's own
// chunk. Heavy code only some commands use (SSH key parsing, enrolment) stays in its own chunks.
// Chunks end in `.mjs`: installed under node_modules no package.json says "type": "module",
// and Node would then parse every `.js` chunk an extra time to detect its format.
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const repositoryRoot = resolve(import.meta.dirname, '..');

/** Higher priority claims a module first; each group also takes its modules' dependencies. */
const CHUNK_GROUPS = [
  { name: 'start', priority: 3, test: /(shared[\\/]errors|cli[\\/](exit-codes|io))\.ts$/ },
  { name: 'zod', priority: 2, test: /node_modules[\\/]zod[\\/]|cli[\\/]zod-setup\.ts$/ },
  {
    name: 'vault',
    priority: 1,
    test: /cli[\\/](sdk[\\/](client|load-config)|context|commands[\\/](get|list))\.ts$/,
  },
];

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
      rollupOptions: {
        output: {
          format: 'es',
          entryFileNames: 'coffer.mjs',
          chunkFileNames: 'chunks/[name]-[hash].mjs',
          codeSplitting: { groups: CHUNK_GROUPS },
          // V8 parses every byte of a chunk it loads: whitespace and dead code removed, `get`
          // loads 290 KB instead of 450 KB. Names are kept (no mangling) so that the class
          // names main.ts reports for unexpected errors, and stack traces, stay readable.
          minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
        },
      },
    },
  });
  const entry = join(outDir, 'coffer.mjs');
  chmodSync(entry, 0o755);
  return entry;
}
