#!/usr/bin/env node
import type * as NodeCrypto from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/**
 * The installed `coffer` (package.json `bin`; scripts/cli-bundle.mjs builds it as CommonJS next
 * to the bundle's `chunks/`). It loads the chunks itself so that V8 can start from a code cache:
 * compiling the chunks, and then the functions a command calls, was the largest cost of a
 * `coffer get` start left after bundling (issue #5). Node 22 has this built in
 * (`module.enableCompileCache`); Node 20, which Coffer supports, does not.
 *
 * Like Python's `__pycache__`, the caches sit next to the code they were made from, in
 * `chunks/.code-cache/`, and only where the installation is writable: they are code, and code
 * is trusted only where the installation is. They hold V8 bytecode of the bundle's own source,
 * never data from a run. One per chunk and command (each command compiles other functions),
 * named by V8 version; V8 itself refuses a cache made from other source, by another V8 or with
 * other flags, and the chunk is then compiled as usual and its cache made again. V8 does not
 * check a cache's bytes, though (a damaged one aborts the process), so each starts with the
 * SHA-256 of the rest, checked before V8 sees it. `--version` and `--help` keep none: they load
 * two small chunks, and would load node:crypto only for that.
 */

type Main = (argv: readonly string[]) => Promise<number>;

interface LoadedChunk {
  exports: Record<string, unknown>;
}

const chunksDir = join(__dirname, 'chunks');
const cacheDir = join(chunksDir, '.code-cache');
/** Global options that take a value (cli/args.ts GLOBAL_FLAGS), when not given as `--x=v`. */
const VALUE_OPTIONS = new Set(['--profile', '--cache-max-age', '--local-address', '--timeout']);

/**
 * The command, past any global options before it. A help run gets no tag: its cache would hold
 * the help path's functions and, accepted by V8, stand for the command's real runs for good.
 */
function commandOf(argv: readonly string[]): string | undefined {
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  let i = 0;
  while (argv[i]?.startsWith('-') === true) i += VALUE_OPTIONS.has(argv[i] as string) ? 2 : 1;
  return argv[i];
}

const command = commandOf(process.argv.slice(2));
const cacheTag = /^[a-z]{1,16}$/.test(command ?? '')
  ? `${command}.${process.versions.v8}.${process.arch}`
  : undefined;
const nodeRequire = createRequire(__filename);
const loaded = new Map<string, LoadedChunk>();
const uncached: { path: string; script: Script }[] = [];
const DIGEST_LENGTH = 32;

function sha256(data: Uint8Array): Buffer {
  // Required here, not imported: `--version` never loads it.
  const { createHash } = nodeRequire('node:crypto') as typeof NodeCrypto;
  return createHash('sha256').update(data).digest();
}

/** The cached data of `path` if it is there and intact. */
function readCache(path: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    // No cache yet (first run of this command) or none possible: compile from source.
    return undefined;
  }
  const data = file.subarray(DIGEST_LENGTH);
  return file.length > DIGEST_LENGTH && sha256(data).equals(file.subarray(0, DIGEST_LENGTH))
    ? data
    : undefined;
}

/** Runs a chunk as Node would run a CommonJS module, with its code cache when there is one. */
function loadChunk(path: string): Record<string, unknown> {
  const known = loaded.get(path);
  if (known !== undefined) return known.exports;
  const cachePath =
    cacheTag === undefined ? undefined : join(cacheDir, `${basename(path)}.${cacheTag}`);
  const cachedData = cachePath === undefined ? undefined : readCache(cachePath);
  const script = new Script(wrap(readFileSync(path, 'utf8')), {
    filename: path,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cachePath !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    uncached.push({ path: cachePath, script });
  }
  const chunk: LoadedChunk = { exports: {} };
  loaded.set(path, chunk);
  const dir = dirname(path);
  // Chunks require each other by relative path, and Node's built-ins; nothing else is external.
  const requireFromChunk = (specifier: string) =>
    specifier.startsWith('.') ? loadChunk(join(dir, specifier)) : nodeRequire(specifier);
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(chunk.exports, requireFromChunk, chunk, path, dir);
  return chunk.exports;
}

/**
 * At exit, when the functions this run needed have been compiled and can be kept; only after a
 * run that succeeded, so that a mistyped first command does not leave a cache of its error path.
 */
function saveCodeCaches(): void {
  if (uncached.length === 0 || (process.exitCode ?? 0) !== 0) return;
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const { path, script } of uncached) {
      const temporary = `${path}.${process.pid}.tmp`;
      const data = script.createCachedData();
      writeFileSync(temporary, Buffer.concat([sha256(data), data]));
      // A rename: a concurrent run reads the old cache or the new one, never half of one.
      renameSync(temporary, path);
    }
  } catch {
    // A read-only installation (or a full disk): the next run compiles from source again.
  }
}

process.once('exit', saveCodeCaches);
const { main } = loadChunk(join(chunksDir, 'main.cjs')) as { main: Main };
// exec and a pending stdout write may still need the event loop: set the code, do not exit.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
