/// <reference types="vite/client" />
import glueUrl from 'argon2-browser/dist/argon2.js?url';
import wasmUrl from 'argon2-browser/dist/argon2-simd.wasm?url';
import libUrl from 'argon2-browser/lib/argon2.js?url';
import { CofferError, isCofferError } from '../../../shared/errors.ts';
import { validateArgon2Params, type Argon2Input } from '../../../shared/crypto/argon2.ts';
import { createArgon2WasmBackend } from '../../../shared/crypto/argon2-wasm.ts';
import type { Argon2WorkerReply } from './argon2-messages.ts';

/**
 * One Argon2id derivation per worker: the client creates this worker, posts one request and
 * terminates it after the reply, so the 64 MiB WebAssembly heap (which can only grow) and the
 * password bytes left in it are released with the worker (DESIGN.md "Identity and unlock" §4).
 * The package's scripts are loaded by URL, unbundled (see Argon2ScriptUrls).
 */

interface WorkerScope {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: Argon2WorkerReply, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

async function fetchWasm(): Promise<Uint8Array> {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`Argon2 wasm request failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const derive = createArgon2WasmBackend(fetchWasm, { lib: libUrl, glue: glueUrl });

function optionalBytes(value: unknown, name: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Uint8Array) return value;
  throw new CofferError('invalid_input', `${name} must be a Uint8Array`);
}

/** The message crosses a thread boundary: check its shape before use. */
function parseRequest(data: unknown): Argon2Input {
  if (typeof data !== 'object' || data === null) {
    throw new CofferError('invalid_input', 'Argon2 worker request must be an object');
  }
  const request = data as Record<string, unknown>;
  if (!(request.password instanceof Uint8Array) || !(request.salt instanceof Uint8Array)) {
    throw new CofferError('invalid_input', 'Argon2 worker request needs password and salt bytes');
  }
  const params = request.params as Argon2Input['params'];
  validateArgon2Params(params);
  const secret = optionalBytes(request.secret, 'secret');
  const associatedData = optionalBytes(request.associatedData, 'associated data');
  return {
    password: request.password,
    salt: request.salt,
    params,
    ...(secret ? { secret } : {}),
    ...(associatedData ? { associatedData } : {}),
  };
}

scope.onmessage = (event) => {
  void (async () => {
    try {
      const input = parseRequest(event.data);
      const key = await derive(input);
      input.password.fill(0);
      scope.postMessage({ ok: true, key }, [key.buffer]);
    } catch (error) {
      const reply: Argon2WorkerReply = isCofferError(error)
        ? { ok: false, code: error.code, message: error.message }
        : { ok: false, code: 'crypto_kdf_unavailable', message: 'Argon2id failed in the worker' };
      scope.postMessage(reply, []);
    }
  })();
};
