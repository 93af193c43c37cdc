import glueUrl from 'argon2-browser/dist/argon2.js?url';
import wasmUrl from 'argon2-browser/dist/argon2-simd.wasm?url';
import libUrl from 'argon2-browser/lib/argon2.js?url';
import type * as NodeFs from 'node:fs/promises';
import type * as NodeModule from 'node:module';
import { createArgon2WasmBackend, setArgon2Backend } from '../../../../../shared/crypto/index.ts';

/**
 * Installs the in-process argon2-browser backend with the SIMD wasm: read from disk under Node
 * (as the CLI does), fetched from the dev server in Chromium (as the worker does). Node modules
 * are imported through a variable so the browser bundle never tries to resolve them.
 */
async function loadSimdWasm(): Promise<Uint8Array> {
  if (typeof window === 'undefined') {
    const fsName = 'node:fs/promises';
    const moduleName = 'node:module';
    const { readFile } = (await import(/* @vite-ignore */ fsName)) as typeof NodeFs;
    const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as typeof NodeModule;
    const require = createRequire(import.meta.url);
    return new Uint8Array(await readFile(require.resolve('argon2-browser/dist/argon2-simd.wasm')));
  }
  const response = await fetch(wasmUrl);
  return new Uint8Array(await response.arrayBuffer());
}

export function installInProcessArgon2(): void {
  const inBrowser = typeof window !== 'undefined';
  setArgon2Backend(
    createArgon2WasmBackend(loadSimdWasm, inBrowser ? { lib: libUrl, glue: glueUrl } : undefined),
  );
}
