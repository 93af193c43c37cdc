// Bundles the `coffer` CLI into a folder that runs on its own: `coffer.cjs` (cli/bin.ts, the
// `bin`) and `chunks/` (cli/main.ts and what it loads, commands split off and loaded lazily).
// Node 20 pays per module it loads: the unbundled tsc output made `coffer get` load ~170 modules
// (94 of them zod's), several times a bare `node` start.
//
// CommonJS, not ES modules (issue #5, `npm run bench -- cli`): an ES module entry alone costs
// Node 20 about 5 ms more than a CommonJS one (its module loader), and only CommonJS code can be
// compiled with a V8 code cache, which cli/bin.ts keeps per chunk. Dynamic imports become
// `require` calls, so nothing loads through the ES module loader.
//
// Chunks: left to itself the bundler split the shared code into ~40 small chunks, 18 of them
// loaded by `coffer get`, each one a file read and a compile. The groups below keep that to five
// files: the entry, `start` (what the entry itself needs, with the argument parser that reads
// global options before the command: `--version` and `help` load nothing else), `zod` (with
// cli/zod-setup.ts, so zod is configured before any schema is built), `vault` (the client, its
// configuration and the `get` and `list` commands) and the command's own chunk. Heavy code only
// some commands use (SSH key parsing, enrolment) stays in its own chunks.
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const repositoryRoot = resolve(import.meta.dirname, '..');

/** Higher priority claims a module first; each group also takes its modules' dependencies. */
const CHUNK_GROUPS = [
  { name: 'start', priority: 3, test: /(shared[\\/]errors|cli[\\/](exit-codes|io|args))\.ts$/ },
  { name: 'zod', priority: 2, test: /node_modules[\\/]zod[\\/]|cli[\\/]zod-setup\.ts$/ },
  {
    name: 'vault',
    priority: 1,
    test: /cli[\\/](sdk[\\/](client|load-config)|context|commands[\\/](get|list))\.ts$/,
  },
];

// V8 parses every byte of a chunk it loads: whitespace and dead code removed, `get` loads less.
// Names are kept (no mangling) so that the class names main.ts reports for unexpected errors,
// and stack traces, stay readable.
const MINIFY = { compress: true, mangle: false, codegen: { removeWhitespace: true } };

/** The path the README documents, kept working: it runs the same `coffer.cjs`. */
const ESM_ENTRY = `#!/usr/bin/env node
// The same CLI as coffer.cjs (package.json \`bin\`), which starts faster: run that one.
import './coffer.cjs';
`;

function buildOptions(root, outDir, entry, output) {
  return {
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: join(root, entry),
      outDir,
      emptyOutDir: false,
      target: 'node20',
      rollupOptions: {
        output: { format: 'cjs', dynamicImportInCjs: false, minify: MINIFY, ...output },
      },
    },
  };
}

/**
 * Builds the CLI into `outDir` (emptied first) and returns the path of its entry, `coffer.cjs`.
 * Callers that are themselves bundled elsewhere (the benchmarks) pass the repository root.
 */
export async function bundleCli(outDir, root = repositoryRoot) {
  const main = buildOptions(root, outDir, 'cli/main.ts', {
    entryFileNames: 'chunks/main.cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    codeSplitting: { groups: CHUNK_GROUPS },
  });
  main.build.emptyOutDir = true;
  await build(main);
  await build(buildOptions(root, outDir, 'cli/bin.ts', { entryFileNames: 'coffer.cjs' }));
  const entry = join(outDir, 'coffer.cjs');
  chmodSync(entry, 0o755);
  writeFileSync(join(outDir, 'coffer.mjs'), ESM_ENTRY, { mode: 0o755 });
  return entry;
}
