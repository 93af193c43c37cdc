import { CofferError } from '../errors.ts';
import type { Argon2Backend, Argon2Input } from './argon2.ts';

/**
 * Argon2id through argon2-browser's SIMD WebAssembly build, with the wasm bytes supplied by the
 * caller through the package's hooks (`loadArgon2WasmBinary`, `loadArgon2WasmModule` on its
 * global, lib/argon2.js). The caller decides where the bytes come from: Node reads
 * `argon2-browser/dist/argon2-simd.wasm` from disk, a browser worker fetches a bundled URL.
 *
 * Package quirks this file works around (DESIGN.md "Identity and unlock" §4):
 * - It captures `self` as its global when first evaluated. Under Node there is none, it falls
 *   back to `require('../dist/argon2.wasm')` and the Emscripten glue tries `fetch('argon2.wasm')`,
 *   which aborts with "Failed to parse URL". So `self` is defined (as globalThis) before the
 *   package loads, and the glue finds the bytes in `self.Module.wasmBinary` and never fetches.
 *   Defining `self` is process-wide and happens at the first derivation: a library that sniffs
 *   `typeof self` to detect a browser may then take its browser path in that process.
 * - Under Node the glue installs process-wide `unhandledRejection`/`uncaughtException` handlers
 *   (any unhandled rejection then aborts the process). Never load this in the Electron main
 *   process; the CLI and tests accept it.
 * - The wasm heap grows to the derivation's memory cost and never shrinks, and the glue and its
 *   heap are per realm: the first loader installed wins. In the renderer this runs inside a
 *   worker that is terminated after each derivation.
 *
 * Node callers (CLI, tests, benches) read the bytes themselves — `shared/` may not use node:fs:
 *
 *   const path = createRequire(import.meta.url).resolve('argon2-browser/dist/argon2-simd.wasm');
 *   setArgon2Backend(createArgon2WasmBackend(async () => new Uint8Array(await readFile(path))));
 */

export type WasmBytesLoader = () => Promise<Uint8Array>;

/**
 * URLs of argon2-browser's `lib/argon2.js` and `dist/argon2.js`, served as they are published.
 * Browsers need them: a bundler that rewrites the package turns its never-taken
 * `require('../dist/argon2.wasm')` into a wasm import that fails to build or load. Under Node the
 * package is imported by name instead.
 */
export interface Argon2ScriptUrls {
  lib: string;
  glue: string;
}

interface Argon2BrowserResult {
  hash: Uint8Array;
}

interface Argon2BrowserApi {
  hash(params: {
    pass: Uint8Array;
    salt: Uint8Array;
    secret?: Uint8Array;
    ad?: Uint8Array;
    time: number;
    mem: number;
    parallelism: number;
    hashLen: number;
    type: number;
  }): Promise<Argon2BrowserResult>;
  ArgonType: { Argon2id: number };
}

interface EmscriptenModule {
  wasmBinary?: Uint8Array;
}

interface HookScope {
  self?: HookScope;
  argon2?: Argon2BrowserApi;
  Module?: EmscriptenModule;
  loadArgon2WasmBinary?: () => Promise<Uint8Array>;
  loadArgon2WasmModule?: () => Promise<EmscriptenModule>;
}

// Package names live in variables so bundlers leave these imports alone (see Argon2ScriptUrls);
// only Node takes this path.
const PACKAGE_LIB = 'argon2-browser';
const PACKAGE_GLUE = 'argon2-browser/dist/argon2.js';

let api: Promise<Argon2BrowserApi> | undefined;

function isApi(value: unknown): value is Argon2BrowserApi {
  return typeof value === 'object' && value !== null && 'hash' in value && 'ArgonType' in value;
}

function loadApi(loadWasm: WasmBytesLoader, urls: Argon2ScriptUrls | undefined) {
  api ??= (async () => {
    const host = globalThis as HookScope;
    host.self ??= host;
    const scope = host.self;
    let bytes: Promise<Uint8Array> | undefined;
    const wasm = () => (bytes ??= loadWasm());
    scope.loadArgon2WasmBinary = wasm;
    scope.loadArgon2WasmModule = async () => {
      // Browser path: the package already put { wasmBinary, postRun } in self.Module.
      // Node path: it did not, so the glue must find the bytes there before it runs.
      const module = (scope.Module ??= {});
      module.wasmBinary ??= await wasm();
      await import(/* @vite-ignore */ urls?.glue ?? PACKAGE_GLUE);
      return module;
    };
    const imported: unknown = await import(/* @vite-ignore */ urls?.lib ?? PACKAGE_LIB);
    // As an ES module the UMD wrapper sets self.argon2; as CommonJS it is the default export.
    const candidate = scope.argon2 ?? (imported as { default?: unknown }).default;
    if (!isApi(candidate)) throw new Error('argon2-browser did not expose its API');
    return candidate;
  })();
  api.catch(() => {
    api = undefined;
  });
  return api;
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return 'unknown error';
}

/** An Argon2 backend running argon2-browser in this realm; see setArgon2Backend. */
export function createArgon2WasmBackend(
  loadWasm: WasmBytesLoader,
  scriptUrls?: Argon2ScriptUrls,
): Argon2Backend {
  if (typeof loadWasm !== 'function') {
    throw new CofferError('invalid_input', 'the Argon2 wasm loader must be a function');
  }
  return async (input: Argon2Input) => {
    let argon2: Argon2BrowserApi;
    try {
      argon2 = await loadApi(loadWasm, scriptUrls);
    } catch (error) {
      throw new CofferError('crypto_kdf_unavailable', 'could not load the Argon2id WebAssembly', {
        cause: error,
      });
    }
    const { params } = input;
    try {
      const result = await argon2.hash({
        pass: input.password,
        salt: input.salt,
        ...(input.secret ? { secret: input.secret } : {}),
        ...(input.associatedData ? { ad: input.associatedData } : {}),
        time: params.passes,
        mem: params.memoryKiB,
        parallelism: params.lanes,
        hashLen: params.length,
        type: argon2.ArgonType.Argon2id,
      });
      return Uint8Array.from(result.hash);
    } catch (error) {
      // argon2-browser rejects with { message, code } from the reference implementation's
      // error table (e.g. "Memory allocation error"): it never contains the inputs.
      throw new CofferError('crypto_kdf_unavailable', `Argon2id failed: ${describe(error)}`);
    }
  };
}
