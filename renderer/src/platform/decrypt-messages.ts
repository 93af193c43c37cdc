import type { OpenedRecord, RecordBatch } from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { isErrorCode, type ErrorCode } from '../../../shared/protocol/error-codes.ts';
import type { VaultRecord } from '../../../shared/records/schema/index.ts';

/**
 * What the decrypt pool and its workers say to each other. Both directions cross a thread
 * boundary, so each side checks the shape of what it receives before use.
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
  | { readonly kind: 'opened'; readonly job: number; readonly results: OpenedRecord[] }
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

function parseBatch(value: unknown): RecordBatch {
  if (!isObject(value) || typeof value.rootId !== 'string' || !isKeyVersion(value.keyVersion)) {
    fail('the batch needs a folder id and key version');
  }
  if (!Array.isArray(value.records)) fail('the batch needs a list of records');
  for (const job of value.records as unknown[]) {
    if (
      !isObject(job) ||
      typeof job.id !== 'string' ||
      typeof job.folderId !== 'string' ||
      !isKeyVersion(job.revision) ||
      typeof job.ciphertext !== 'string'
    ) {
      fail('each record needs id, folder id, revision and ciphertext');
    }
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

function parseOpened(value: unknown): OpenedRecord {
  if (isObject(value)) {
    if (value.ok === true && isObject(value.record) && typeof value.record.type === 'string') {
      return { ok: true, record: value.record as unknown as VaultRecord };
    }
    if (value.ok === false && isErrorCode(value.code)) return { ok: false, code: value.code };
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
    if (data.kind === 'opened' && Array.isArray(data.results) && data.results.length === size) {
      return { kind: 'opened', job: data.job, results: data.results.map(parseOpened) };
    }
    if (data.kind === 'failed' && isErrorCode(data.code) && typeof data.message === 'string') {
      return { kind: 'failed', job: data.job, code: data.code, message: data.message };
    }
  }
  throw new CofferError('decrypt_worker_failed', 'A decrypt worker sent a malformed reply.');
}
