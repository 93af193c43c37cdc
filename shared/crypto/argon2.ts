import { CofferError } from '../errors.ts';
import { assertBytes } from './bytes.ts';

/**
 * Argon2id (RFC 9106), the password KDF behind unlock. The computation itself is pluggable
 * because where it may run differs per platform, while `shared/` must stay platform-free:
 * - Node (CLI, server tests, benches): `createArgon2WasmBackend` (argon2-wasm.ts) in-process,
 *   given the bytes of argon2-browser's SIMD wasm read from disk;
 * - the renderer: a Web Worker per derivation (renderer/src/platform/argon2-client.ts), because
 *   WebAssembly memory never shrinks and a 64 MiB heap should not outlive the unlock.
 * The app installs one with `setArgon2Backend` at start; `deriveArgon2id` refuses to run
 * without one rather than fall back to something weaker.
 *
 * This module validates structure only (RFC 9106 §3.1 ranges and what the wasm can address).
 * The policy — the floor and ceiling a hostile server must not cross (CR-01) — is the key
 * layer's, with its own error codes. Password bytes arrive normalised by the key layer.
 */

export interface Argon2Params {
  memoryKiB: number;
  passes: number;
  lanes: number;
  /** Output length in bytes. */
  length: number;
}

export interface Argon2Input {
  password: Uint8Array;
  salt: Uint8Array;
  params: Argon2Params;
  /** RFC 9106 §3.1 secret value K (optional). */
  secret?: Uint8Array;
  /** RFC 9106 §3.1 associated data X (optional). */
  associatedData?: Uint8Array;
}

export type Argon2Backend = (input: Argon2Input) => Promise<Uint8Array>;

/** argon2-browser runs in 32-bit WebAssembly: its heap tops out just under 2 GiB. */
export const ARGON2_MAX_MEMORY_KIB = 1024 * 1024;
export const ARGON2_MIN_SALT_LENGTH = 8;
export const ARGON2_MAX_LENGTH = 1024;
const MAX_PASSES = 1000;
const MAX_LANES = 255;

let backend: Argon2Backend | undefined;

export function setArgon2Backend(next: Argon2Backend | undefined): void {
  if (next !== undefined && typeof next !== 'function') {
    throw new CofferError('invalid_input', 'Argon2id backend must be a function');
  }
  backend = next;
}

function checkInteger(value: unknown, name: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CofferError('invalid_input', `Argon2id ${name} must be an integer in ${min}..${max}`);
  }
}

export function validateArgon2Params(params: Argon2Params): void {
  if (typeof params !== 'object' || params === null) {
    throw new CofferError('invalid_input', 'Argon2id parameters are missing');
  }
  checkInteger(params.lanes, 'lanes', 1, MAX_LANES);
  checkInteger(params.passes, 'passes', 1, MAX_PASSES);
  // RFC 9106 §3.1: m >= 8 * p.
  checkInteger(params.memoryKiB, 'memoryKiB', 8 * params.lanes, ARGON2_MAX_MEMORY_KIB);
  checkInteger(params.length, 'length', 4, ARGON2_MAX_LENGTH);
}

function validateInput(input: Argon2Input): void {
  assertBytes(input.password, 'password');
  assertBytes(input.salt, 'salt');
  if (input.salt.length < ARGON2_MIN_SALT_LENGTH) {
    throw new CofferError(
      'invalid_input',
      `Argon2id salt must be at least ${ARGON2_MIN_SALT_LENGTH} bytes`,
    );
  }
  if (input.secret !== undefined) assertBytes(input.secret, 'secret');
  if (input.associatedData !== undefined) assertBytes(input.associatedData, 'associated data');
  validateArgon2Params(input.params);
}

/** Argon2id with the optional RFC 9106 secret and associated data; used for the §5.3 vector. */
export async function deriveArgon2idWith(input: Argon2Input): Promise<Uint8Array> {
  validateInput(input);
  if (!backend) {
    throw new CofferError(
      'crypto_kdf_unavailable',
      'no Argon2id implementation is installed on this platform (setArgon2Backend)',
    );
  }
  const { memoryKiB, passes, lanes, length } = input.params;
  // The backend sees a copy of the parameters, so a caller mutating its object mid-flight
  // cannot change what was validated.
  const output = await backend({ ...input, params: { memoryKiB, passes, lanes, length } });
  if (!(output instanceof Uint8Array) || output.length !== length) {
    throw new CofferError('crypto_kdf_unavailable', 'Argon2id backend returned malformed output');
  }
  return output;
}

export function deriveArgon2id(
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Uint8Array> {
  return deriveArgon2idWith({ password, salt, params });
}
