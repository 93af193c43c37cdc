import type { OpenedBatch, RecordBatch } from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { isErrorCode, type ErrorCode } from '../../../shared/protocol/error-codes.ts';
import { RECORD_TYPES } from '../../../shared/records/schema/index.ts';

/**
 * What the decrypt pool and its workers say to each other. Both directions cross a thread
 * boundary, so each side checks the shape of what it receives before use. Batches travel column
 * by column, and an opened batch's byte columns are transferred, not copied (issue #4).
 */
export type DecryptRequest =
  | {
      readonly kind: 'key';
      readonly rootId: string;
      readonly keyVersion: number;
      /** A copy of the folder key transferred to this worker; the worker zeroes it. */
      readonly raw: Uint8Array;
    }
  | { readonly kind: 'open'; readonly job: number; readonly batch: RecordBatch };

export type DecryptReply =
  | { readonly kind: 'opened'; readonly job: number; readonly batch: OpenedBatch }
  | {
      readonly kind: 'failed';
      readonly job: number;
      readonly code: ErrorCode;
      readonly message: string;
    };

function fail(what: string): never {
  throw new CofferError('invalid_input', `decrypt worker request: ${what}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isKeyVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** An array of `size` items each passing `check`. */
function isColumn(value: unknown, size: number, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value) || value.length !== size) return false;
  for (let i = 0; i < size; i += 1) if (!check(value[i])) return false;
  return true;
}

const isString = (value: unknown) => typeof value === 'string';

function parseBatch(value: unknown): RecordBatch {
  if (!isObject(value) || typeof value.rootId !== 'string' || !isKeyVersion(value.keyVersion)) {
    fail('the batch needs a folder id and key version');
  }
  const size = Array.isArray(value.ids) ? value.ids.length : -1;
  if (
    !isColumn(value.ids, size, isString) ||
    !isColumn(value.folderIds, size, isString) ||
    !isColumn(value.revisions, size, isKeyVersion) ||
    !isColumn(value.ciphertexts, size, isString)
  ) {
    fail('the batch needs ids, folder ids, revisions and ciphertexts, one of each per record');
  }
  return value as unknown as RecordBatch;
}

export function parseDecryptRequest(data: unknown): DecryptRequest {
  if (!isObject(data)) fail('not an object');
  if (data.kind === 'key') {
    if (typeof data.rootId !== 'string' || !isKeyVersion(data.keyVersion)) {
      fail('a key needs its folder id and version');
    }
    if (!(data.raw instanceof Uint8Array) || data.raw.length !== 32) fail('a key has 32 bytes');
    return { kind: 'key', rootId: data.rootId, keyVersion: data.keyVersion, raw: data.raw };
  }
  if (data.kind === 'open') {
    if (typeof data.job !== 'number') fail('an open request needs a job number');
    return { kind: 'open', job: data.job, batch: parseBatch(data.batch) };
  }
  return fail('unknown kind');
}

/** The byte columns of an opened batch, to transfer along with it. */
export function transfersOf(batch: OpenedBatch): ArrayBuffer[] {
  return [batch.plaintext.buffer, batch.ends.buffer, batch.favorites.buffer] as ArrayBuffer[];
}

const TYPES: ReadonlySet<unknown> = new Set(RECORD_TYPES);

/** Whether record i's columns agree with its code: a known type when it opened, else empty. */
function rowsAgree(batch: Record<string, unknown>, size: number): boolean {
  const codes = batch.codes as unknown[];
  const types = batch.types as unknown[];
  const ends = batch.ends as Uint32Array;
  let previous = 0;
  for (let i = 0; i < size; i += 1) {
    const code = codes[i];
    const opened = code === null;
    if (!opened && !isErrorCode(code)) return false;
    if (opened ? !TYPES.has(types[i]) : types[i] !== '') return false;
    const end = ends[i]!;
    if (end < previous || (!opened && end !== previous)) return false;
    previous = end;
  }
  return previous === (batch.plaintext as Uint8Array).length;
}

function parseOpened(value: unknown, size: number): OpenedBatch {
  if (
    isObject(value) &&
    Array.isArray(value.codes) &&
    value.codes.length === size &&
    Array.isArray(value.types) &&
    value.types.length === size &&
    isColumn(value.titles, size, isString) &&
    isColumn(value.subtitles, size, isString) &&
    isColumn(value.searchTexts, size, isString) &&
    value.favorites instanceof Uint8Array &&
    value.favorites.length === size &&
    value.plaintext instanceof Uint8Array &&
    value.ends instanceof Uint32Array &&
    value.ends.length === size &&
    rowsAgree(value, size)
  ) {
    return value as unknown as OpenedBatch;
  }
  throw new CofferError('decrypt_worker_failed', 'A decrypt worker sent a malformed result.');
}

/** Checks a worker's reply; `expected` is the size of the batch the job carried. */
export function parseDecryptReply(
  data: unknown,
  expected: (job: number) => number | undefined,
): DecryptReply {
  if (isObject(data) && typeof data.job === 'number') {
    const size = expected(data.job);
    if (data.kind === 'opened' && size !== undefined) {
      return { kind: 'opened', job: data.job, batch: parseOpened(data.batch, size) };
    }
    if (data.kind === 'failed' && isErrorCode(data.code) && typeof data.message === 'string') {
      return { kind: 'failed', job: data.job, code: data.code, message: data.message };
    }
  }
  throw new CofferError('decrypt_worker_failed', 'A decrypt worker sent a malformed reply.');
}
