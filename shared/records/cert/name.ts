/**
 * X.501 Name → RFC 4514 string with exact Unicode. Each string type is decoded by its own rule
 * (BMPString is UTF-16BE, UniversalString UTF-32BE), so "Zoë" never turns into "ZoÃ«" the way it
 * does in tools that read every type as Latin-1 (Mbed-TLS#3303, ruby/openssl#26).
 */
import { toHex } from '../../crypto/bytes.ts';
import { AsnError, TAG, children, decodeOid, expect, type Tlv } from '../asn1/der.ts';
import { ATTRIBUTE_NAMES } from '../asn1/oids.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function isAscii(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte < 0x80);
}

/** UTF-16BE code units; a lone surrogate makes the value undecodable rather than U+FFFD. */
function decodeBmp(bytes: Uint8Array): string | undefined {
  if (bytes.length % 2 !== 0) return undefined;
  const units: number[] = [];
  for (let i = 0; i < bytes.length; i += 2)
    units.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? 0;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = units[i + 1] ?? 0;
      if (next < 0xdc00 || next > 0xdfff) return undefined;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return undefined;
    }
  }
  let out = '';
  for (let i = 0; i < units.length; i += 4096)
    out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

function decodeUniversal(bytes: Uint8Array): string | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const point =
      ((bytes[i] ?? 0) * 0x1000000) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8);
    const codePoint = point + (bytes[i + 3] ?? 0);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
    out += String.fromCodePoint(codePoint);
  }
  return out;
}

/**
 * The text of a directory string, or undefined when it cannot be read faithfully. ASCII-only types
 * that carry 8-bit bytes, and T61String, are in practice UTF-8 or Latin-1 (the way OpenSSL reads
 * T61): valid UTF-8 is taken as UTF-8, anything else as Latin-1.
 */
export function decodeDirectoryString(tlv: Tlv): string | undefined {
  const bytes = tlv.content;
  switch (tlv.tag) {
    case TAG.utf8String:
      return decodeUtf8(bytes);
    case TAG.bmpString:
      return decodeBmp(bytes);
    case TAG.universalString:
      return decodeUniversal(bytes);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.t61String:
    case 0x12: // NumericString
    case 0x1a: // VisibleString
      if (isAscii(bytes)) return String.fromCharCode(...bytes);
      // ISO-8859-1 proper: the WHATWG 'latin1' decoder is really Windows-1252.
      return decodeUtf8(bytes) ?? String.fromCharCode(...bytes);
    default:
      return undefined;
  }
}

/**
 * Characters that would let a subject rewrite what is shown around it: C0 and C1 controls
 * (line breaks, terminal escapes such as CSI U+009B) and the bidirectional overrides used in
 * "Trojan Source" spoofing (CVE-2021-42574).
 */
function isUnsafe(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function hexEscape(char: string): string {
  return Array.from(
    new TextEncoder().encode(char),
    (byte) => `\\${byte.toString(16).padStart(2, '0').toUpperCase()}`,
  ).join('');
}

/**
 * RFC 4514 §2.4 escaping. Unsafe characters are written as escaped UTF-8 octets (the RFC's
 * hexpair form), so they stay visible and can never act on the app or the CLI's terminal.
 */
export function escapeRfc4514(value: string): string {
  const chars = Array.from(value);
  return chars
    .map((char, index) => {
      if (isUnsafe(char.codePointAt(0) ?? 0)) return hexEscape(char);
      if ('"+,;<>\\'.includes(char)) return `\\${char}`;
      const edge =
        (index === 0 && (char === ' ' || char === '#')) ||
        (index === chars.length - 1 && char === ' ');
      return edge ? `\\${char}` : char;
    })
    .join('');
}

export interface NameAttribute {
  readonly oid: string;
  /** Short name (CN, O, …) when known, else the dotted OID. */
  readonly type: string;
  /** Decoded text, or undefined when the value has no faithful text form. */
  readonly value: string | undefined;
  readonly raw: Uint8Array;
}

/** RDNs in encoded order (most significant first, e.g. C, O, CN). */
export function readName(tlv: Tlv, what: string): NameAttribute[][] {
  return children(expect(tlv, TAG.sequence, what)).map((rdn) =>
    children(expect(rdn, TAG.set, `${what} RDN`)).map((atv) => {
      const [typeTlv, valueTlv] = children(expect(atv, TAG.sequence, `${what} attribute`));
      const oid = decodeOid(typeTlv, `${what} attribute type`);
      if (valueTlv === undefined) throw new AsnError(`${what} attribute value missing`);
      return {
        oid,
        type: ATTRIBUTE_NAMES[oid] ?? oid,
        value: decodeDirectoryString(valueTlv),
        raw: valueTlv.raw,
      };
    }),
  );
}

function formatAttribute(attribute: NameAttribute): string {
  const known = ATTRIBUTE_NAMES[attribute.oid] !== undefined;
  // §2.4: a type given by OID, or a value with no string form, is written as #hex of its BER.
  if (!known || attribute.value === undefined) return `${attribute.oid}=#${toHex(attribute.raw)}`;
  return `${attribute.type}=${escapeRfc4514(attribute.value)}`;
}

/** RFC 4514 §2.1: RDNs are written last-to-first, multi-valued RDNs joined with '+'. */
export function formatRfc4514(rdns: readonly (readonly NameAttribute[])[]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).join('+'))
    .join(',');
}

/**
 * A comparison key for issuer/subject matching in the spirit of RFC 5280 §7.1: case and
 * surrounding or repeated white space do not matter.
 */
export function nameMatchKey(rdns: readonly (readonly NameAttribute[])[]): string {
  const fold = (a: NameAttribute): string =>
    (a.value ?? toHex(a.raw)).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  // JSON keeps the key unambiguous whatever punctuation the values hold.
  return JSON.stringify(rdns.map((rdn) => rdn.map((a) => [a.oid, fold(a)]).sort()));
}
