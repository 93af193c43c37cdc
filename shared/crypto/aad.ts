import { CofferError } from '../errors.ts';

/**
 * Associated data: binds a ciphertext to its place (SECURITY-CASES CR-03), so a server that
 * swaps two records, moves one into another folder or replays an old revision makes decryption
 * fail instead of showing the wrong secret.
 *
 * Encoding (format 1), every integer big-endian:
 *
 *   aad   = 0x01 item(kind) item(field)*
 *   item  = tag(1 byte) length(u32) value(length bytes)
 *   tag   = 0x01 UTF-8 string | 0x02 integer (value is 8 bytes) | 0x03 raw bytes
 *
 * The kind label is the first item (tag 0x01). Because every item carries its type and length,
 * the encoding parses one way only: no two different (kind, fields) tuples produce the same
 * bytes — ["ab","c"] differs from ["a","bc"], the number 1 from the string "1" and from the byte
 * 0x01. Integers are non-negative safe integers (revisions, key versions, schema versions).
 * Strings must be well-formed Unicode: TextEncoder would turn every lone surrogate into U+FFFD,
 * making distinct strings encode alike. Strings are not normalised: ids are compared exactly.
 */

export const AAD_FORMAT = 0x01;
const TAG_STRING = 0x01;
const TAG_INTEGER = 0x02;
const TAG_BYTES = 0x03;

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const encoder = new TextEncoder();

export type AadField = string | number | Uint8Array;

function encodeField(field: AadField, index: number): [number, Uint8Array] {
  if (typeof field === 'string') {
    if (LONE_SURROGATE.test(field)) {
      throw new CofferError(
        'invalid_input',
        `associated data field ${index} is not well-formed Unicode`,
      );
    }
    return [TAG_STRING, encoder.encode(field)];
  }
  if (typeof field === 'number') {
    if (!Number.isSafeInteger(field) || field < 0) {
      throw new CofferError(
        'invalid_input',
        `associated data field ${index} must be a non-negative safe integer`,
      );
    }
    const value = new Uint8Array(8);
    new DataView(value.buffer).setBigUint64(0, BigInt(field));
    return [TAG_INTEGER, value];
  }
  if (field instanceof Uint8Array) return [TAG_BYTES, field];
  throw new CofferError('invalid_input', `associated data field ${index} has an unsupported type`);
}

export function encodeAad(kind: string, fields: readonly AadField[]): Uint8Array {
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) {
    throw new CofferError(
      'invalid_input',
      'associated data kind must be 1-64 characters of a-z, 0-9 and "-", starting with a letter',
    );
  }
  if (!Array.isArray(fields)) {
    throw new CofferError('invalid_input', 'associated data fields must be an array');
  }
  const items: [number, Uint8Array][] = [[TAG_STRING, encoder.encode(kind)]];
  fields.forEach((field, index) => items.push(encodeField(field, index)));
  const length = items.reduce((sum, [, value]) => sum + 5 + value.length, 1);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = AAD_FORMAT;
  let offset = 1;
  for (const [tag, value] of items) {
    out[offset] = tag;
    view.setUint32(offset + 1, value.length);
    out.set(value, offset + 5);
    offset += 5 + value.length;
  }
  return out;
}
