// SAN decoding on extension values built here: every GeneralName form, RFC 5952 IPv6 text, and
// control characters that must never reach the screen as text.
import { describe, expect, it } from 'vitest';
import { readSubjectAltNames } from '../../../../../shared/records/cert/certificate.ts';
import { TAG, contextTag, encodeOid, encodeTlv } from '../../../../../shared/records/asn1/der.ts';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const sans = (...names: Uint8Array[]): ReturnType<typeof readSubjectAltNames> =>
  readSubjectAltNames(encodeTlv(TAG.sequence, ...names));

describe('subjectAltName', () => {
  it('reads DNS, e-mail, URI, IPv4 and directory names', () => {
    const directory = encodeTlv(
      contextTag(4, true),
      encodeTlv(
        TAG.sequence,
        encodeTlv(
          TAG.set,
          encodeTlv(TAG.sequence, encodeOid('2.5.4.3'), encodeTlv(TAG.utf8String, ascii('alice'))),
        ),
      ),
    );
    expect(
      sans(
        encodeTlv(contextTag(2, false), ascii('www.example.com')),
        encodeTlv(contextTag(1, false), ascii('alice@example.com')),
        encodeTlv(contextTag(6, false), ascii('https://example.com/')),
        encodeTlv(contextTag(7, false), Uint8Array.of(192, 0, 2, 1)),
        directory,
      ),
    ).toEqual([
      { type: 'dns', value: 'www.example.com' },
      { type: 'email', value: 'alice@example.com' },
      { type: 'uri', value: 'https://example.com/' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'dn', value: 'CN=alice' },
    ]);
  });

  it('writes IPv6 addresses in RFC 5952 form', () => {
    const ip = (...groups: number[]): string => {
      const bytes = new Uint8Array(16);
      groups.forEach((g, i) => {
        bytes[i * 2] = g >> 8;
        bytes[i * 2 + 1] = g & 0xff;
      });
      const [entry] = sans(encodeTlv(contextTag(7, false), bytes));
      return entry?.value ?? '';
    };
    expect(ip(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)).toBe('2001:db8::1');
    expect(ip(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1)).toBe('2001:db8:0:1::1');
    expect(ip(0, 0, 0, 0, 0, 0, 0, 0)).toBe('::');
    expect(ip(0x2001, 0xdb8, 1, 2, 3, 4, 5, 6)).toBe('2001:db8:1:2:3:4:5:6');
    expect(ip(0x2001, 0, 0xdb8, 0, 0, 0, 0, 0)).toBe('2001:0:db8::');
  });

  it('shows values with control characters or 8-bit bytes as #hex', () => {
    expect(sans(encodeTlv(contextTag(2, false), ascii('a\u001b[2J.example.com')))).toEqual([
      { type: 'dns', value: '#611b5b324a2e6578616d706c652e636f6d' },
    ]);
    expect(sans(encodeTlv(contextTag(1, false), Uint8Array.of(0x7a, 0xc3, 0xab)))).toEqual([
      { type: 'email', value: '#7ac3ab' },
    ]);
  });

  it('keeps forms it does not display, naming them', () => {
    const upn = encodeTlv(
      contextTag(0, true),
      encodeOid('1.3.6.1.4.1.311.20.2.3'),
      encodeTlv(contextTag(0, true), encodeTlv(TAG.utf8String, ascii('alice@example.com'))),
    );
    expect(sans(upn)).toEqual([{ type: 'other', value: 'otherName:1.3.6.1.4.1.311.20.2.3' }]);
  });
});
