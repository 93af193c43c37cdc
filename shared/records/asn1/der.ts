/**
 * The one ASN.1 reader and writer of the record importers (certificates, SSH keys). Keys and
 * certificates must be DER, but PKCS#12 files from NSS, Java and Windows are often BER (indefinite
 * lengths, constructed OCTET STRINGs), so the reader accepts both. It keeps every element's exact
 * bytes: signatures cover the original tbsCertificate encoding and the PKCS#12 MAC covers the
 * original content, so re-encoding would break both. Failures are AsnError; each importer turns
 * them into a CofferError with its own code, naming what it parsed.
 */
import { concatBytes } from '../../crypto/bytes.ts';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag [n], constructed (EXPLICIT or structured IMPLICIT) or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** Thrown for malformed encodings; callers turn it into a CofferError naming what they parsed. */
export class AsnError extends Error {
  override readonly name = 'AsnError';
}

export interface Tlv {
  /** The identifier octet: class, constructed bit and tag number (low tag numbers only). */
  readonly tag: number;
  readonly constructed: boolean;
  /** The whole element: identifier, length, content (and end-of-contents for BER). */
  readonly raw: Uint8Array;
  /** The content octets only. */
  readonly content: Uint8Array;
}

const MAX_DEPTH = 64;

function readLength(bytes: Uint8Array, offset: number): { length: number; size: number } {
  const first = bytes[offset];
  if (first === undefined) throw new AsnError('length octet missing');
  if (first < 0x80) return { length: first, size: 1 };
  if (first === 0x80) return { length: -1, size: 1 };
  const count = first & 0x7f;
  if (count > 4) throw new AsnError('length too large');
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw new AsnError('length octets truncated');
    length = length * 256 + byte;
  }
  return { length, size: 1 + count };
}

function readAt(bytes: Uint8Array, offset: number, depth: number): Tlv {
  if (depth > MAX_DEPTH) throw new AsnError('nesting too deep');
  const tag = bytes[offset];
  if (tag === undefined) throw new AsnError('element missing');
  if ((tag & 0x1f) === 0x1f) throw new AsnError('high tag numbers are not used here');
  const constructed = (tag & 0x20) !== 0;
  const { length, size } = readLength(bytes, offset + 1);
  const start = offset + 1 + size;
  if (length >= 0) {
    const end = start + length;
    if (end > bytes.length) {
      throw new AsnError(`element says ${length} bytes but only ${bytes.length - start} remain`);
    }
    return {
      tag,
      constructed,
      raw: bytes.subarray(offset, end),
      content: bytes.subarray(start, end),
    };
  }
  // BER indefinite length (X.690 §8.1.3.6): children until an end-of-contents pair 00 00.
  if (!constructed) throw new AsnError('indefinite length on a primitive element');
  let cursor = start;
  for (;;) {
    if (cursor + 2 > bytes.length) throw new AsnError('end-of-contents missing');
    if (bytes[cursor] === 0 && bytes[cursor + 1] === 0) break;
    cursor += readAt(bytes, cursor, depth + 1).raw.length;
  }
  return {
    tag,
    constructed,
    raw: bytes.subarray(offset, cursor + 2),
    content: bytes.subarray(start, cursor),
  };
}

/** Reads the single element that makes up `bytes`; trailing bytes are an error. */
export function parseDer(bytes: Uint8Array): Tlv {
  const tlv = readAt(bytes, 0, 0);
  if (tlv.raw.length !== bytes.length) {
    throw new AsnError(`${bytes.length - tlv.raw.length} unexpected bytes after the element`);
  }
  return tlv;
}

/** Reads the first element of `bytes` and ignores what follows (OpenSSL TRUSTED CERTIFICATE). */
export function parseFirst(bytes: Uint8Array): Tlv {
  return readAt(bytes, 0, 0);
}

export function children(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) throw new AsnError('expected a constructed element');
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < tlv.content.length) {
    const child = readAt(tlv.content, offset, 1);
    out.push(child);
    offset += child.raw.length;
  }
  return out;
}

export function expect(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined) throw new AsnError(`${what} missing`);
  if (tlv.tag !== tag) {
    throw new AsnError(
      `${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`,
    );
  }
  return tlv;
}

/** Children of a SEQUENCE, checking the tag first. */
export function sequence(tlv: Tlv | undefined, what: string): Tlv[] {
  return children(expect(tlv, TAG.sequence, what));
}

export function decodeOid(tlv: Tlv | undefined, what: string): string {
  const { content } = expect(tlv, TAG.oid, what);
  if (content.length === 0) throw new AsnError(`${what}: empty object identifier`);
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i] ?? 0;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === content.length - 1) {
      throw new AsnError(`${what}: object identifier truncated`);
    }
  }
  const first = arcs[0] ?? 0n;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** INTEGER content with redundant sign octets removed (positive values only). */
export function unsignedIntegerBytes(tlv: Tlv | undefined, what: string): Uint8Array {
  const { content } = expect(tlv, TAG.integer, what);
  if (content.length === 0) throw new AsnError(`${what}: empty integer`);
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  return content.subarray(start);
}

/**
 * A non-negative INTEGER's magnitude without redundant sign octets. Key components are never
 * negative (RFC 8017 A.1, RFC 5915), so a set top bit means damage, not a value to reinterpret.
 */
export function nonNegativeIntegerBytes(tlv: Tlv | undefined, what: string): Uint8Array {
  const { content } = expect(tlv, TAG.integer, what);
  if (content.length === 0 || ((content[0] ?? 0) & 0x80) !== 0) {
    throw new AsnError(`${what}: not a non-negative integer`);
  }
  return unsignedIntegerBytes(tlv, what);
}

export function smallInteger(tlv: Tlv | undefined, what: string): number {
  const { content } = expect(tlv, TAG.integer, what);
  if (content.length === 0 || content.length > 6 || ((content[0] ?? 0) & 0x80) !== 0) {
    throw new AsnError(`${what}: not a small non-negative integer`);
  }
  return content.reduce((acc, byte) => acc * 256 + byte, 0);
}

export function bitLength(unsigned: Uint8Array): number {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const top = unsigned[start];
  if (top === undefined) return 0;
  return (unsigned.length - start - 1) * 8 + (32 - Math.clz32(top));
}

/** BIT STRING content as whole bytes; keys and signatures never have unused bits. */
export function bitStringBytes(tlv: Tlv | undefined, what: string): Uint8Array {
  const { content } = expect(tlv, TAG.bitString, what);
  if (content.length === 0 || content[0] !== 0) {
    throw new AsnError(`${what}: bit string with unused bits`);
  }
  return content.subarray(1);
}

/** OCTET STRING content; a BER constructed string is the concatenation of its segments. */
export function octetString(
  tlv: Tlv | undefined,
  what: string,
  tag: number = TAG.octetString,
): Uint8Array {
  if (tlv === undefined) throw new AsnError(`${what} missing`);
  if (tlv.tag === tag) return tlv.content;
  if (tlv.tag === (tag | 0x20)) {
    return concatBytes(...children(tlv).map((part) => octetString(part, what)));
  }
  return expect(tlv, tag, what).content;
}

function digits(text: string, from: number, count: number): number {
  const slice = text.slice(from, from + count);
  if (!/^\d+$/.test(slice) || slice.length !== count) throw new AsnError('bad time digits');
  return Number(slice);
}

/** UTCTime (RFC 5280 §4.1.2.5.1: YY < 50 is 20YY) or GeneralizedTime, both in UTC ("Z"). */
export function decodeTime(tlv: Tlv | undefined, what: string): Date {
  if (tlv === undefined) throw new AsnError(`${what} missing`);
  const text = String.fromCharCode(...tlv.content);
  let year: number;
  let rest: number;
  if (tlv.tag === TAG.utcTime) {
    const yy = digits(text, 0, 2);
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = 2;
  } else if (tlv.tag === TAG.generalizedTime) {
    year = digits(text, 0, 4);
    rest = 4;
  } else {
    throw new AsnError(`${what}: not a time`);
  }
  const match = /^(\d{8})(\d{2})?(\.\d+)?Z$/.exec(text.slice(rest));
  if (match === null) throw new AsnError(`${what}: time is not in UTC form YYMMDDHHMMSSZ`);
  const ms = match[3] === undefined ? 0 : Math.floor(Number(`0${match[3]}`) * 1000);
  const time = Date.UTC(
    year,
    digits(text, rest, 2) - 1,
    digits(text, rest + 2, 2),
    digits(text, rest + 4, 2),
    digits(text, rest + 6, 2),
    match[2] === undefined ? 0 : Number(match[2]),
    ms,
  );
  return new Date(time);
}

// Writer: just enough to build PKCS#8 and SubjectPublicKeyInfo structures.

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

export function encodeTlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const content = concatBytes(...parts);
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [a = 0n, b = 0n, ...rest] = arcs;
  const octets: number[] = [];
  for (const arc of [a * 40n + b, ...rest]) {
    const groups: number[] = [];
    let value = arc;
    do {
      groups.unshift(Number(value & 0x7fn));
      value >>= 7n;
    } while (value > 0n);
    groups.forEach((group, index) => octets.push(index < groups.length - 1 ? group | 0x80 : group));
  }
  return encodeTlv(TAG.oid, Uint8Array.from(octets));
}

export function encodeSmallInteger(value: number): Uint8Array {
  return encodeTlv(TAG.integer, Uint8Array.of(value));
}

/** An unsigned big-endian value as a DER INTEGER (sign octet added when the top bit is set). */
export function encodeUnsignedInteger(unsigned: Uint8Array): Uint8Array {
  const needsPad = ((unsigned[0] ?? 0) & 0x80) !== 0;
  return encodeTlv(TAG.integer, needsPad ? concatBytes(Uint8Array.of(0), unsigned) : unsigned);
}

export function encodeBitString(bytes: Uint8Array): Uint8Array {
  return encodeTlv(TAG.bitString, Uint8Array.of(0), bytes);
}

export const DER_NULL = Uint8Array.of(TAG.null, 0);
