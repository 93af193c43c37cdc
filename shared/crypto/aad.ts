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
// Every code unit below 0x80: the whole range, control characters included, is ASCII.
// eslint-disable-next-line no-control-regex -- the range is the definition of ASCII
const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const TWO_TO_32 = 2 ** 32;

export type AadField = string | number | Uint8Array;

/**
 * A field's tag and the bytes of its value, where the value needs its own bytes. ASCII strings
 * (every id) and integers are written straight into the output instead: a vault of 100,000
 * records builds 100,000 of these, and a TextEncoder call and a BigInt per field dominated that
 * (issue #4).
 */
type Item =
  | { readonly tag: number; readonly length: number; readonly ascii: string }
  | { readonly tag: number; readonly length: number; readonly value: number }
  | { readonly tag: number; readonly length: number; readonly bytes: Uint8Array };

function stringItem(text: string): Item {
  if (ASCII.test(text)) return { tag: TAG_STRING, ascii: text, length: text.length };
  const bytes = encoder.encode(text);
  return { tag: TAG_STRING, bytes, length: bytes.length };
}

function encodeField(field: AadField, index: number): Item {
  if (typeof field === 'string') {
    // An ASCII string (every id) holds no surrogate: one pattern test instead of two.
    if (ASCII.test(field)) return { tag: TAG_STRING, ascii: field, length: field.length };
    if (LONE_SURROGATE.test(field)) {
      throw new CofferError(
        'invalid_input',
        `associated data field ${index} is not well-formed Unicode`,
      );
    }
    return stringItem(field);
  }
  if (typeof field === 'number') {
    if (!Number.isSafeInteger(field) || field < 0) {
      throw new CofferError(
        'invalid_input',
        `associated data field ${index} must be a non-negative safe integer`,
      );
    }
    return { tag: TAG_INTEGER, value: field, length: 8 };
  }
  if (field instanceof Uint8Array) return { tag: TAG_BYTES, bytes: field, length: field.length };
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
  const items: Item[] = [stringItem(kind)];
  fields.forEach((field, index) => items.push(encodeField(field, index)));
  let length = 1;
  for (const item of items) length += 5 + item.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  out[0] = AAD_FORMAT;
  let offset = 1;
  for (const item of items) {
    out[offset] = item.tag;
    view.setUint32(offset + 1, item.length);
    offset += 5;
    if ('bytes' in item) out.set(item.bytes, offset);
    else if ('ascii' in item) {
      for (let i = 0; i < item.length; i += 1) out[offset + i] = item.ascii.charCodeAt(i);
    } else {
      // Big-endian 64-bit: safe integers stay below 2^53, so the high word fits 21 bits.
      view.setUint32(offset, Math.floor(item.value / TWO_TO_32));
      view.setUint32(offset + 4, item.value % TWO_TO_32);
    }
    offset += item.length;
  }
  return out;
}
