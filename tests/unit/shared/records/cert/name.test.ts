// RFC 4514 formatting and exact decoding of every X.520 string type, on names built here.
import { describe, expect, it } from 'vitest';
import { TAG, encodeOid, encodeTlv, parseDer } from '../../../../../shared/records/asn1/der.ts';
import { escapeRfc4514, formatRfc4514, readName } from '../../../../../shared/records/cert/name.ts';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const UID = '0.9.2342.19200300.100.1.1';

function utf16be(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) >> 8;
    out[i * 2 + 1] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

function utf32be(text: string): Uint8Array {
  const points = Array.from(text, (c) => c.codePointAt(0) ?? 0);
  const out = new Uint8Array(points.length * 4);
  const view = new DataView(out.buffer);
  points.forEach((point, i) => view.setUint32(i * 4, point));
  return out;
}

type Attr = [oid: string, tag: number, value: Uint8Array];

/** A Name from RDNs in encoded order, each RDN a list of attributes. */
function name(...rdns: Attr[][]): string {
  const der = encodeTlv(
    TAG.sequence,
    ...rdns.map((rdn) =>
      encodeTlv(
        TAG.set,
        ...rdn.map(([oid, tag, value]) =>
          encodeTlv(TAG.sequence, encodeOid(oid), encodeTlv(tag, value)),
        ),
      ),
    ),
  );
  return formatRfc4514(readName(parseDer(der), 'test name'));
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('RFC 4514 names', () => {
  it('writes RDNs last to first and joins multi-valued RDNs with +', () => {
    expect(
      name(
        [[O, TAG.utf8String, utf8('Example Org')]],
        [
          [CN, TAG.utf8String, utf8('alice')],
          [UID, TAG.utf8String, utf8('a1')],
        ],
      ),
    ).toBe('CN=alice+UID=a1,O=Example Org');
  });

  it('decodes BMPString as UTF-16BE, including surrogate pairs', () => {
    expect(name([[CN, TAG.bmpString, utf16be('東京 😀 Zoë')]])).toBe('CN=東京 😀 Zoë');
  });

  it('decodes UniversalString as UTF-32BE', () => {
    expect(name([[CN, TAG.universalString, utf32be('Ł😀')]])).toBe('CN=Ł😀');
  });

  it('reads 8-bit PrintableString/T61String as UTF-8 when valid, else Latin-1', () => {
    expect(name([[CN, TAG.t61String, Uint8Array.of(0x5a, 0xfc, 0x72)]])).toBe('CN=Zür');
    expect(name([[CN, TAG.t61String, utf8('Zür')]])).toBe('CN=Zür');
    expect(name([[CN, TAG.printableString, utf8('Zoë')]])).toBe('CN=Zoë');
  });

  it('falls back to #hex rather than inventing characters for undecodable values', () => {
    expect(name([[CN, TAG.utf8String, Uint8Array.of(0x41, 0xc3)]])).toBe('2.5.4.3=#0c0241c3');
    expect(name([[CN, TAG.bmpString, Uint8Array.of(0xd8, 0x3d)]])).toBe('2.5.4.3=#1e02d83d');
    expect(name([[CN, TAG.universalString, Uint8Array.of(0, 0x11, 0, 0)]])).toBe(
      '2.5.4.3=#1c0400110000',
    );
  });

  it('writes unknown attribute types as dotted OID with the value in #hex', () => {
    expect(name([['1.2.3.4', TAG.utf8String, utf8('x')]])).toBe('1.2.3.4=#0c0178');
  });

  it('escapes specials, leading # or space, trailing space and control characters', () => {
    expect(escapeRfc4514('Doe, John')).toBe('Doe\\, John');
    expect(escapeRfc4514('a+b;c<d>e"f\\g')).toBe('a\\+b\\;c\\<d\\>e\\"f\\\\g');
    expect(escapeRfc4514('#tag')).toBe('\\#tag');
    expect(escapeRfc4514(' padded ')).toBe('\\ padded\\ ');
    expect(escapeRfc4514('line\nbreak\u001b[31m')).toBe('line\\0Abreak\\1B[31m');
    expect(escapeRfc4514('a#b c')).toBe('a#b c');
  });

  it('hex-escapes C1 controls and bidirectional overrides as UTF-8 octets', () => {
    expect(escapeRfc4514('x\u009b2Jy')).toBe('x\\C2\\9B2Jy');
    expect(escapeRfc4514('evil\u202Etxt.exe')).toBe('evil\\E2\\80\\AEtxt.exe');
    expect(escapeRfc4514('Zoë 東京')).toBe('Zoë 東京');
  });

  it('reads Latin-1 fallback bytes as ISO-8859-1, not Windows-1252', () => {
    expect(name([[CN, TAG.t61String, Uint8Array.of(0x41, 0x80, 0xe9)]])).toBe('CN=A\\C2\\80é');
  });
});
