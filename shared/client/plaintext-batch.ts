import { fromUtf8 } from '../crypto/index.ts';
import { isCofferError } from '../errors.ts';

/**
 * The plaintexts of one decrypt batch, back to back in one buffer: record i is
 * `bytes[ends[i - 1] ?? 0 .. ends[i]]`, empty for a record that did not open. One buffer is what
 * a worker hands over by transfer, what locking zeroes at once, and what decodes to text in one
 * call instead of a TextDecoder call per record (issue #4).
 */
export interface PlaintextBatch {
  readonly bytes: Uint8Array;
  readonly ends: Uint32Array;
}

/** Copies the parts into one buffer and zeroes each part. */
export function joinPlaintexts(parts: readonly (Uint8Array | null)[]): PlaintextBatch {
  let total = 0;
  for (const part of parts) total += part?.length ?? 0;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(parts.length);
  let offset = 0;
  parts.forEach((part, i) => {
    if (part !== null) {
      bytes.set(part, offset);
      offset += part.length;
      part.fill(0);
    }
    ends[i] = offset;
  });
  return { bytes, ends };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * How many UTF-16 code units the UTF-8 bytes decode to: one per sequence (a byte that is not a
 * continuation byte), two for a four-byte sequence (a surrogate pair). Only for valid UTF-8.
 */
function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  for (let i = start; i < end; i += 1) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

function decodeOne(bytes: Uint8Array): string | null {
  try {
    return fromUtf8(bytes);
  } catch (error) {
    if (!isCofferError(error)) throw error;
    return null;
  }
}

/**
 * Each record's text, or null where it is not UTF-8. The whole batch decodes in one strict call
 * and is cut by each record's length in UTF-16 units. That is sound where every record starts
 * with "{" and ends with "}" (what a record's JSON does): a cut at an ASCII byte never splits a
 * character, so each record's bytes are valid UTF-8 on their own exactly when the whole is. A
 * record that does not look so, or a batch that does not decode, is decoded record by record.
 */
export function decodeRecords({ bytes, ends }: PlaintextBatch): (string | null)[] {
  const out = new Array<string | null>(ends.length).fill(null);
  const whole = decodeOne(bytes);
  // As many code units as bytes: all ASCII, and every record's length is its byte length.
  const ascii = whole !== null && whole.length === bytes.length;
  let start = 0;
  let at = 0;
  for (let i = 0; i < ends.length; i += 1) {
    const end = ends[i]!;
    if (end > start) {
      const units = whole === null ? 0 : ascii ? end - start : utf16Length(bytes, start, end);
      const braced = bytes[start] === OPEN_BRACE && bytes[end - 1] === CLOSE_BRACE;
      out[i] =
        whole !== null && braced
          ? whole.substring(at, at + units)
          : decodeOne(bytes.subarray(start, end));
      at += units;
    }
    start = end;
  }
  return out;
}

/**
 * Keeps the records `keep` marks and empties the others, moving what is kept to the front and
 * zeroing what is left over; answers the kept part of the buffer.
 */
export function keepOnly(batch: PlaintextBatch, keep: readonly boolean[]): PlaintextBatch {
  const { bytes, ends } = batch;
  let start = 0;
  let written = 0;
  for (let i = 0; i < ends.length; i += 1) {
    const end = ends[i]!;
    if (keep[i]) {
      if (start !== written) bytes.copyWithin(written, start, end);
      written += end - start;
    }
    ends[i] = written;
    start = end;
  }
  bytes.fill(0, written);
  return { bytes: bytes.subarray(0, written), ends };
}
