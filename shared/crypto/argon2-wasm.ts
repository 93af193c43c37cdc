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
 * - Under Node the glue installs process-wide `unhandledRejection`/`uncaughtException` handlers
 *   (any unhandled rejection then aborts the process). Never load this in the Electron main
 *   process; the CLI and tests accept it.
 * - The wasm heap grows to the derivation's memory cost and never shrinks, and the glue and its
 *   heap are per realm: the first loader installed wins. In the renderer this runs inside a
 *   worker that is terminated after each derivation.
 */

export type WasmBytesLoader = () => Promise<Uint8Array>;

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
  Module?: EmscriptenModule;
  loadArgon2WasmBinary?: () => Promise<Uint8Array>;
  loadArgon2WasmModule?: () => Promise<EmscriptenModule>;
}

let api: Promise<Argon2BrowserApi> | undefined;

function loadApi(loadWasm: WasmBytesLoader): Promise<Argon2BrowserApi> {
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
      await import('argon2-browser/dist/argon2.js');
      return module;
    };
    const imported = (await import('argon2-browser')) as { default?: Argon2BrowserApi };
    return imported.default ?? (imported as unknown as Argon2BrowserApi);
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
export function createArgon2WasmBackend(loadWasm: WasmBytesLoader): Argon2Backend {
  if (typeof loadWasm !== 'function') {
    throw new CofferError('invalid_input', 'the Argon2 wasm loader must be a function');
  }
  return async (input: Argon2Input) => {
    let argon2: Argon2BrowserApi;
    try {
      argon2 = await loadApi(loadWasm);
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
