import { CofferError } from '../errors.ts';

/**
 * Argon2id parameters for the master-password KEK. They come back from the server on every
 * unlock, so they are checked against a floor and a ceiling here, before any derivation
 * (SECURITY-CASES CR-01): a hostile server can neither downgrade the cost nor make unlock hang,
 * and absent values are an error, never a default (bitwarden/clients#4771).
 */
export interface KdfParams {
  readonly algorithm: 'argon2id';
  readonly memoryKiB: number;
  readonly passes: number;
  readonly lanes: number;
}

/** DESIGN.md defaults: 64 MiB, 3 passes, 4 lanes. */
export const DEFAULT_KDF_PARAMS: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 64 * 1024,
  passes: 3,
  lanes: 4,
};

/** OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane). */
export const KDF_FLOOR = { memoryKiB: 19 * 1024, passes: 2, lanes: 1 } as const;

/**
 * Ceiling: 1 GiB is the most a desktop or CI runner can be asked to allocate without swapping;
 * 10 passes at 1 GiB is already tens of seconds; 16 lanes exceeds any machine's useful threads.
 */
export const KDF_CEILING = { memoryKiB: 1024 * 1024, passes: 10, lanes: 16 } as const;

/** Salt sizes accepted on unlock; new accounts use 16 random bytes (RFC 9106 §3.1). */
export const KDF_SALT_BYTES = 16;
export const KDF_SALT_MAX_BYTES = 64;

/** Derived key length: one AES-256 key. Fixed, never read from the server. */
export const KDF_OUTPUT_BYTES = 32;

type Field = 'memoryKiB' | 'passes' | 'lanes';
const FIELDS: readonly Field[] = ['memoryKiB', 'passes', 'lanes'];

function integerField(source: Record<string, unknown>, field: Field): number {
  const value = source[field];
  if (value === undefined || value === null) {
    throw new CofferError(
      'invalid_input',
      `KDF parameter ${field} is missing; refusing to fall back to a default.`,
    );
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new CofferError('invalid_input', `KDF parameter ${field} must be an integer.`);
  }
  return value;
}

/**
 * Returns validated parameters or throws: `invalid_input` when missing or mistyped,
 * `kdf_parameters_too_weak` for any algorithm other than Argon2id or any value under the floor,
 * `kdf_parameters_too_costly` for any value over the ceiling. Weakness is reported first.
 */
export function checkKdfParams(value: unknown): KdfParams {
  if (value === null || value === undefined || typeof value !== 'object') {
    throw new CofferError(
      'invalid_input',
      'KDF parameters are missing; refusing to fall back to a default.',
    );
  }
  const source = value as Record<string, unknown>;
  if (source['algorithm'] !== 'argon2id') {
    const named = typeof source['algorithm'] === 'string' ? 'another algorithm' : 'no algorithm';
    throw new CofferError(
      'kdf_parameters_too_weak',
      `The server asked for ${named} instead of Argon2id for the master password; refusing ` +
        'weaker protection.',
    );
  }
  const params = {
    algorithm: 'argon2id' as const,
    memoryKiB: integerField(source, 'memoryKiB'),
    passes: integerField(source, 'passes'),
    lanes: integerField(source, 'lanes'),
  };
  for (const field of FIELDS) {
    if (params[field] < KDF_FLOOR[field]) {
      throw new CofferError(
        'kdf_parameters_too_weak',
        `The server asked for weaker master-password protection than this app allows: ` +
          `${field} ${params[field]} is below the minimum ${KDF_FLOOR[field]}. Not unlocking.`,
      );
    }
  }
  for (const field of FIELDS) {
    if (params[field] > KDF_CEILING[field]) {
      throw new CofferError(
        'kdf_parameters_too_costly',
        `The master-password parameters are too costly to run on this device: ${field} ` +
          `${params[field]} is above the maximum ${KDF_CEILING[field]}.`,
      );
    }
  }
  return params;
}

/** Checks a KDF salt's size; a short salt is a downgrade like a low cost. */
export function checkKdfSalt(salt: Uint8Array): void {
  if (salt.length < KDF_SALT_BYTES) {
    throw new CofferError(
      'kdf_parameters_too_weak',
      `The master-password salt is ${salt.length} bytes, below the minimum ${KDF_SALT_BYTES}.`,
    );
  }
  if (salt.length > KDF_SALT_MAX_BYTES) {
    throw new CofferError(
      'invalid_input',
      `The master-password salt is longer than ${KDF_SALT_MAX_BYTES} bytes.`,
    );
  }
}
