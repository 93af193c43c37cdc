import { CofferError, isCofferError } from '../errors.ts';
import { assertBytes, bufferSource } from './bytes.ts';
import { forEachConcurrent } from './concurrency.ts';
import { randomBytes } from './random.ts';

/**
 * Sealed blob (DESIGN.md "Wire formats"):
 *
 *   0x01 ‖ IV (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes)
 *
 * How each failure is reported (CR-04: no fallback over keys or modes, no plaintext before the
 * tag is verified — WebCrypto releases nothing until it has checked the tag):
 * - first byte not 0x01 → `crypto_unsupported_version` ("unsupported format, update the app"),
 *   checked before the length, since another version may have another layout;
 * - shorter than 29 bytes (version + IV + tag) → `crypto_truncated`;
 * - tag mismatch → `crypto_integrity_failed`. GCM cannot tell a flipped bit, different
 *   associated data, a blob cut inside its ciphertext and a different key apart: all four only
 *   make the tag mismatch, and GCM has no key-commitment. We do not guess; the key layer, which
 *   knows when a failure can only mean a wrong key (unwrapping with a password-derived key),
 *   maps it to its own code. `crypto_wrong_key` is used where a wrong key is provable (the ECDH
 *   recipient key pair, ecdh.ts).
 *
 * Nonces (CR-02, NIST SP 800-38D §8.3): IVs are random, so the number of seals under one key is
 * bounded; `AeadKey` counts them and refuses past 2^24 (collision probability below 2^-49,
 * far from the 2^32 ceiling). The count lives with the in-memory key: rotating a key that
 * outlives many sessions is the key layer's job (keys are versioned).
 */

export const SEALED_BLOB_VERSION = 0x01;
export const IV_LENGTH = 12;
export const TAG_LENGTH = 16;
export const AEAD_KEY_LENGTH = 32;
export const SEALED_BLOB_OVERHEAD = 1 + IV_LENGTH + TAG_LENGTH;
export const DEFAULT_SEAL_LIMIT = 2 ** 24;

/** An opaque handle; the CryptoKey (non-extractable) and the seal counter are kept privately. */
export interface AeadKey {
  readonly algorithm: 'AES-256-GCM';
  /** Seals made (or attempted) under this key so far. */
  readonly sealCount: number;
  readonly sealLimit: number;
}

export interface AeadKeyOptions {
  /** Lower the seal limit (never raise it past the default); for tests and short-lived keys. */
  sealLimit?: number;
}

export interface AeadItem {
  data: Uint8Array;
  aad: Uint8Array;
}

interface KeyState {
  cryptoKey: CryptoKey;
  seals: number;
  limit: number;
}

const states = new WeakMap<AeadKey, KeyState>();
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

function stateOf(key: AeadKey): KeyState {
  const state = typeof key === 'object' && key !== null ? states.get(key) : undefined;
  if (!state) throw new CofferError('invalid_input', 'key must be an AeadKey from importAeadKey');
  return state;
}

export async function importAeadKey(
  raw: Uint8Array,
  options: AeadKeyOptions = {},
): Promise<AeadKey> {
  assertBytes(raw, 'AES key');
  if (raw.length !== AEAD_KEY_LENGTH) {
    throw new CofferError(
      'invalid_input',
      `AES key must be ${AEAD_KEY_LENGTH} bytes, got ${raw.length}`,
    );
  }
  const limit = options.sealLimit ?? DEFAULT_SEAL_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > DEFAULT_SEAL_LIMIT) {
    throw new CofferError(
      'invalid_input',
      `seal limit must be an integer in 0..${DEFAULT_SEAL_LIMIT}`,
    );
  }
  const cryptoKey = await subtle().importKey('raw', bufferSource(raw), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const state: KeyState = { cryptoKey, seals: 0, limit };
  const key: AeadKey = Object.freeze({
    algorithm: 'AES-256-GCM' as const,
    get sealCount() {
      return state.seals;
    },
    sealLimit: limit,
  });
  states.set(key, state);
  return key;
}

/** 32 fresh random bytes: a new folder, attachment or user key, before it is wrapped. */
export function generateAeadKeyBytes(): Uint8Array {
  return randomBytes(AEAD_KEY_LENGTH);
}

/** Counts the seals before making them, so a failed call still spends its IVs. */
function reserveSeals(state: KeyState, count: number): void {
  if (state.seals + count > state.limit) {
    throw new CofferError(
      'crypto_key_usage_exhausted',
      'this key has reached its encryption limit; rotate to a new key version',
    );
  }
  state.seals += count;
}

async function sealWithIv(state: KeyState, iv: Uint8Array<ArrayBuffer>, item: AeadItem) {
  const sealed = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: bufferSource(item.aad), tagLength: TAG_LENGTH * 8 },
    state.cryptoKey,
    bufferSource(item.data),
  );
  const blob = new Uint8Array(1 + IV_LENGTH + sealed.byteLength);
  blob[0] = SEALED_BLOB_VERSION;
  blob.set(iv, 1);
  blob.set(new Uint8Array(sealed), 1 + IV_LENGTH);
  return blob;
}

function checkItem(item: AeadItem, what: string): void {
  if (typeof item !== 'object' || item === null) {
    throw new CofferError('invalid_input', `${what} must be { data, aad }`);
  }
  assertBytes(item.data, `${what} data`);
  assertBytes(item.aad, `${what} associated data`);
}

/** Checks the framing (version, length) without the key; throws the matching code. */
export function checkSealedBlob(blob: Uint8Array): void {
  assertBytes(blob, 'sealed blob');
  if (blob.length === 0) throw new CofferError('crypto_truncated', 'sealed blob is empty');
  if (blob[0] !== SEALED_BLOB_VERSION) {
    throw new CofferError(
      'crypto_unsupported_version',
      `unsupported format (version ${blob[0]}), update the app`,
    );
  }
  if (blob.length < SEALED_BLOB_OVERHEAD) {
    throw new CofferError(
      'crypto_truncated',
      `sealed blob is truncated (${blob.length} bytes, at least ${SEALED_BLOB_OVERHEAD} needed)`,
    );
  }
}

async function openChecked(state: KeyState, blob: Uint8Array, aad: Uint8Array) {
  checkSealedBlob(blob);
  const source = bufferSource(blob);
  try {
    const plain = await subtle().decrypt(
      {
        name: 'AES-GCM',
        iv: source.subarray(1, 1 + IV_LENGTH),
        additionalData: bufferSource(aad),
        tagLength: TAG_LENGTH * 8,
      },
      state.cryptoKey,
      source.subarray(1 + IV_LENGTH),
    );
    return new Uint8Array(plain);
  } catch (error) {
    throw new CofferError(
      'crypto_integrity_failed',
      'integrity check failed: the data was altered, belongs elsewhere, or needs another key',
      { cause: error },
    );
  }
}

export async function seal(
  key: AeadKey,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const state = stateOf(key);
  checkItem({ data: plaintext, aad }, 'item');
  reserveSeals(state, 1);
  return sealWithIv(state, bufferSource(randomBytes(IV_LENGTH)), { data: plaintext, aad });
}

export async function open(key: AeadKey, blob: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const state = stateOf(key);
  assertBytes(aad, 'associated data');
  return openChecked(state, blob, aad);
}

function checkItems(items: readonly AeadItem[]): void {
  if (!Array.isArray(items)) throw new CofferError('invalid_input', 'items must be an array');
  items.forEach((item, index) => checkItem(item, `item ${index}`));
}

/** Seals many items with one IV draw and bounded parallel WebCrypto calls; order is kept. */
export async function sealMany(key: AeadKey, items: readonly AeadItem[]): Promise<Uint8Array[]> {
  const state = stateOf(key);
  checkItems(items);
  reserveSeals(state, items.length);
  const ivs = bufferSource(randomBytes(IV_LENGTH * items.length));
  const out = new Array<Uint8Array>(items.length);
  await forEachConcurrent(items.length, async (i) => {
    out[i] = await sealWithIv(state, ivs.subarray(i * IV_LENGTH, (i + 1) * IV_LENGTH), items[i]!);
  });
  return out;
}

export type OpenResult = { ok: true; plaintext: Uint8Array } | { ok: false; error: CofferError };

/**
 * Opens every item and reports each outcome, so one tampered record can be quarantined while
 * the rest of the vault still opens (CR-03).
 */
export async function openManySettled(
  key: AeadKey,
  items: readonly AeadItem[],
): Promise<OpenResult[]> {
  const state = stateOf(key);
  checkItems(items);
  const out = new Array<OpenResult>(items.length);
  await forEachConcurrent(items.length, async (i) => {
    const item = items[i]!;
    try {
      out[i] = { ok: true, plaintext: await openChecked(state, item.data, item.aad) };
    } catch (error) {
      if (!isCofferError(error)) throw error;
      out[i] = { ok: false, error };
    }
  });
  return out;
}

/** Opens every item; if any fails, rejects with that item's code and its index in the message. */
export async function openMany(key: AeadKey, items: readonly AeadItem[]): Promise<Uint8Array[]> {
  const results = await openManySettled(key, items);
  return results.map((result, index) => {
    if (result.ok) return result.plaintext;
    throw new CofferError(result.error.code, `item ${index}: ${result.error.message}`, {
      cause: result.error,
    });
  });
}
