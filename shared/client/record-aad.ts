import { isCofferError, type CofferError } from '../errors.ts';
import { recordAad } from '../keys/index.ts';
import { isCofferId } from '../protocol/ids.ts';

/**
 * The record associated data (CR-03) of a whole decrypt batch, in one buffer (issue #4): at
 * unlock every record needs its own, and building 100,000 of them one encodeAad call at a time
 * was a tenth of the decrypt workers' time. Within a batch only three values change from record
 * to record — the folder id, the record id and the revision — and every one of them has a fixed
 * width once valid (22-character ids, 8-byte integers). So recordAad itself is asked once per
 * batch, with probe values, and each record's bytes are that template with its own values
 * written where the probes landed. The template is trusted only once the first record written
 * from it equals recordAad's own bytes for that record; otherwise (and where the probes cannot
 * be found) every record goes through recordAad one by one, as does a record whose values
 * recordAad refuses, so it gets recordAad's own error. Either way every record is bound to its
 * own ids and revision: the bytes are recordAad's.
 */

/** The values each record's associated data binds besides the batch's versions, by column. */
export interface RecordAadColumns {
  readonly folderIds: readonly string[];
  readonly ids: readonly string[];
  readonly revisions: readonly number[];
}

/** Probe values that cannot occur elsewhere in the template: kinds and versions are lowercase. */
const FOLDER_PROBE = 'F'.repeat(22);
const RECORD_PROBE = 'R'.repeat(22);
/** 0x0000_0102_0304_0506: its eight big-endian bytes are unlike any small version number's. */
const REVISION_PROBE = 0x0102_0304_0506;
const TWO_TO_32 = 2 ** 32;

function bigEndian64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(value / TWO_TO_32));
  view.setUint32(4, value % TWO_TO_32);
  return bytes;
}

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Where `part` occurs in `whole`, if exactly once; else -1. */
function onlyPlaceOf(whole: Uint8Array, part: Uint8Array): number {
  let found = -1;
  outer: for (let at = 0; at + part.length <= whole.length; at += 1) {
    for (let i = 0; i < part.length; i += 1) if (whole[at + i] !== part[i]) continue outer;
    if (found >= 0) return -1;
    found = at;
  }
  return found;
}

interface Template {
  readonly bytes: Uint8Array;
  readonly folderAt: number;
  readonly recordAt: number;
  readonly revisionAt: number;
}

function templateFor(keyVersion: number, schemaVersion: number): Template | null {
  let bytes: Uint8Array;
  try {
    bytes = recordAad({
      folderId: FOLDER_PROBE,
      recordId: RECORD_PROBE,
      keyVersion,
      revision: REVISION_PROBE,
      schemaVersion,
    });
  } catch (error) {
    // An invalid key or schema version: every record gets recordAad's own error.
    if (isCofferError(error)) return null;
    throw error;
  }
  const folderAt = onlyPlaceOf(bytes, asciiBytes(FOLDER_PROBE));
  const recordAt = onlyPlaceOf(bytes, asciiBytes(RECORD_PROBE));
  const revisionAt = onlyPlaceOf(bytes, bigEndian64(REVISION_PROBE));
  if (folderAt < 0 || recordAt < 0 || revisionAt < 0) return null;
  return { bytes, folderAt, recordAt, revisionAt };
}

/** What the template can write: a record whose values recordAad would accept. */
function fits(folderId: string, recordId: string, revision: number): boolean {
  return (
    isCofferId(folderId) && isCofferId(recordId) && Number.isSafeInteger(revision) && revision >= 1
  );
}

function writeAscii(out: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i += 1) out[at + i] = text.charCodeAt(i);
}

function write(
  out: Uint8Array,
  offset: number,
  template: Template,
  folderId: string,
  recordId: string,
  revision: number,
): void {
  out.set(template.bytes, offset);
  writeAscii(out, offset + template.folderAt, folderId);
  writeAscii(out, offset + template.recordAt, recordId);
  const high = Math.floor(revision / TWO_TO_32);
  const low = revision % TWO_TO_32;
  const at = offset + template.revisionAt;
  out[at] = high >>> 24;
  out[at + 1] = (high >>> 16) & 255;
  out[at + 2] = (high >>> 8) & 255;
  out[at + 3] = high & 255;
  out[at + 4] = low >>> 24;
  out[at + 5] = (low >>> 16) & 255;
  out[at + 6] = (low >>> 8) & 255;
  out[at + 7] = low & 255;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function oneByOne(
  folderId: string,
  recordId: string,
  revision: number,
  keyVersion: number,
  schemaVersion: number,
): Uint8Array | CofferError {
  try {
    return recordAad({ folderId, recordId, keyVersion, revision, schemaVersion });
  } catch (error) {
    if (isCofferError(error)) return error;
    throw error;
  }
}

/**
 * Each record's associated data, as recordAad gives it for the record's values with the batch's
 * key version and schema version; a CofferError for a record whose values recordAad refuses.
 */
export function recordAads(
  records: RecordAadColumns,
  keyVersion: number,
  schemaVersion: number,
): (Uint8Array | CofferError)[] {
  const { folderIds, ids, revisions } = records;
  const size = ids.length;
  const out = new Array<Uint8Array | CofferError>(size);
  let template = size > 1 ? templateFor(keyVersion, schemaVersion) : null;
  const length = template?.bytes.length ?? 0;
  const buffer = new Uint8Array(length * size);
  let checked = false;
  for (let i = 0; i < size; i += 1) {
    const folderId = folderIds[i]!;
    const recordId = ids[i]!;
    const revision = revisions[i]!;
    if (template === null || !fits(folderId, recordId, revision)) {
      out[i] = oneByOne(folderId, recordId, revision, keyVersion, schemaVersion);
      continue;
    }
    write(buffer, i * length, template, folderId, recordId, revision);
    const aad = buffer.subarray(i * length, (i + 1) * length);
    if (!checked) {
      // The template is trusted only once it has given recordAad's bytes for a real record.
      checked = true;
      const expected = oneByOne(folderId, recordId, revision, keyVersion, schemaVersion);
      if (!(expected instanceof Uint8Array) || !sameBytes(aad, expected)) {
        template = null;
        out[i] = expected;
        continue;
      }
    }
    out[i] = aad;
  }
  return out;
}
