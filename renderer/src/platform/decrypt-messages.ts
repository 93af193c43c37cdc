import type {
  LoadedPage,
  OpenedBatch,
  RecordBatch,
  SyncResponse,
} from '../../../shared/client/index.ts';
import { CofferError } from '../../../shared/errors.ts';
import { isErrorCode, type ErrorCode } from '../../../shared/protocol/error-codes.ts';
import { RECORD_TYPES } from '../../../shared/records/schema/index.ts';

/**
 * What the decrypt pool and its workers say to each other. Both directions cross a thread
 * boundary, so each side checks the shape of what it receives before use. A worker fetches and
 * parses whole sync pages itself and keeps their sealed blobs; the page's thread gets each page's
 * records column by column without them (PageRecords), names records by position when it asks
 * for a batch, and gets the opened batch column by column with its byte columns transferred,
 * not copied (issue #4).
 */
export type DecryptRequest =
  | {
      readonly kind: 'key';
      readonly rootId: string;
      readonly keyVersion: number;
      /** A copy of the folder key transferred to this worker; the worker zeroes it. */
      readonly raw: Uint8Array;
    }
  | {
      readonly kind: 'fetch';
      readonly job: number;
      readonly serverUrl: string;
      readonly sessionToken: string;
      readonly cursor: number;
      readonly limit: number;
    }
  | { readonly kind: 'take'; readonly job: number; readonly page: SyncResponse }
  | { readonly kind: 'open'; readonly job: number; readonly batch: RecordBatch }
  | { readonly kind: 'release'; readonly page: number };

export type DecryptReply =
  | { readonly kind: 'page'; readonly job: number; readonly page: LoadedPage }
  /** Ahead of a fetch job's page: the cursor its page continues from (prefetch hint). */
  | { readonly kind: 'next'; readonly job: number; readonly cursor: number }
  | { readonly kind: 'opened'; readonly job: number; readonly batch: OpenedBatch }
  | {
      readonly kind: 'failed';
      readonly job: number;
      readonly code: ErrorCode;
      readonly message: string;
    };

/** What the pool expects back for a job: a page, or an opened batch of so many records. */
export type Expected =
  { readonly kind: 'page' } | { readonly kind: 'opened'; readonly size: number };

function fail(what: string): never {
  throw new CofferError('invalid_input', `decrypt worker request: ${what}`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isCount = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
const isString = (value: unknown) => typeof value === 'string';

/** An array of `size` items each passing `check`. */
function isColumn(value: unknown, size: number, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value) || value.length !== size) return false;
  for (let i = 0; i < size; i += 1) if (!check(value[i])) return false;
  return true;
}

function parseBatch(value: unknown): RecordBatch {
  if (
    !isObject(value) ||
    !isCount(value.page, 0) ||
    typeof value.rootId !== 'string' ||
    !isCount(value.keyVersion, 1) ||
    !Array.isArray(value.positions) ||
    !isColumn(value.positions, value.positions.length, (at) => isCount(at, 0))
  ) {
    fail('a batch needs a page, a folder id, a key version and record positions');
  }
  return value as unknown as RecordBatch;
}

export function parseDecryptRequest(data: unknown): DecryptRequest {
  if (!isObject(data)) fail('not an object');
  switch (data.kind) {
    case 'key':
      if (typeof data.rootId !== 'string' || !isCount(data.keyVersion, 1)) {
        fail('a key needs its folder id and version');
      }
      if (!(data.raw instanceof Uint8Array) || data.raw.length !== 32) fail('a key has 32 bytes');
      return { kind: 'key', rootId: data.rootId, keyVersion: data.keyVersion, raw: data.raw };
    case 'release':
      if (!isCount(data.page, 0)) fail('a release names a page');
      return { kind: 'release', page: data.page };
    default:
  }
  if (!isCount(data.job, 0)) fail('a request needs a job number');
  const { job } = data;
  switch (data.kind) {
    case 'fetch':
      if (
        typeof data.serverUrl !== 'string' ||
        typeof data.sessionToken !== 'string' ||
        !isCount(data.cursor, 0) ||
        !isCount(data.limit, 1)
      ) {
        fail('a fetch needs the server, the session, a cursor and a limit');
      }
      return {
        kind: 'fetch',
        job,
        serverUrl: data.serverUrl,
        sessionToken: data.sessionToken,
        cursor: data.cursor,
        limit: data.limit,
      };
    case 'take':
      // Checked against the wire schema by the worker, as a fetched page is.
      return { kind: 'take', job, page: data.page as SyncResponse };
    case 'open':
      return { kind: 'open', job, batch: parseBatch(data.batch) };
    default:
      return fail('unknown kind');
  }
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

/** Whether `value` holds `size` numbers, each an index into a list of `limit`. */
function isIndexColumn(value: unknown, size: number, limit: number): boolean {
  if (!(value instanceof Uint32Array) || value.length !== size) return false;
  for (let i = 0; i < size; i += 1) if (value[i]! >= limit) return false;
  return true;
}

/** A page's record columns: all of one length, the folder positions within the folder list. */
function isPageRecords(value: unknown): boolean {
  if (!isObject(value) || !Array.isArray(value.ids) || !Array.isArray(value.folderIds)) {
    return false;
  }
  const size = value.ids.length;
  const folders = value.folderIds.length;
  return (
    isColumn(value.ids, size, isString) &&
    isColumn(value.folderIds, folders, isString) &&
    value.revisions instanceof Float64Array &&
    value.revisions.length === size &&
    value.deleted instanceof Uint8Array &&
    value.deleted.length === size &&
    value.updatedAt instanceof Float64Array &&
    value.updatedAt.length === size &&
    isIndexColumn(value.folders, size, folders) &&
    isIndexColumn(value.roots, size, folders) &&
    !('ciphertexts' in value)
  );
}

/**
 * A page's shape. Its members were checked against the wire schema in the worker, where the
 * server's answer was parsed; this makes sure the worker answered with a page at all.
 */
function parsePage(value: unknown, job: number): LoadedPage {
  if (
    isObject(value) &&
    value.id === job &&
    isCount(value.cursor, 0) &&
    typeof value.more === 'boolean' &&
    Array.isArray(value.memberships) &&
    Array.isArray(value.folders) &&
    isPageRecords(value.records)
  ) {
    return value as unknown as LoadedPage;
  }
  throw new CofferError('decrypt_worker_failed', 'A decrypt worker sent a malformed page.');
}

/** Checks a worker's reply against what the job it answers expects. */
export function parseDecryptReply(
  data: unknown,
  expected: (job: number) => Expected | undefined,
): DecryptReply {
  if (isObject(data) && typeof data.job === 'number') {
    const wanted = expected(data.job);
    if (data.kind === 'opened' && wanted?.kind === 'opened') {
      return { kind: 'opened', job: data.job, batch: parseOpened(data.batch, wanted.size) };
    }
    if (data.kind === 'page' && wanted?.kind === 'page') {
      return { kind: 'page', job: data.job, page: parsePage(data.page, data.job) };
    }
    if (data.kind === 'next' && wanted?.kind === 'page' && isCount(data.cursor, 0)) {
      return { kind: 'next', job: data.job, cursor: data.cursor };
    }
    if (data.kind === 'failed' && isErrorCode(data.code) && typeof data.message === 'string') {
      return { kind: 'failed', job: data.job, code: data.code, message: data.message };
    }
  }
  throw new CofferError('decrypt_worker_failed', 'A decrypt worker sent a malformed reply.');
}
