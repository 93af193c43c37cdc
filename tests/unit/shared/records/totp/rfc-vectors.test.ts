import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { otpCodeAt, parseOtp } from '../../../../../shared/records/totp/index.ts';
import type { OtpEntry } from '../../../../../shared/records/totp/index.ts';

/** Builds the entry through the URI parser, so the vectors cover parsing as well as codes. */
function entryFor(
  seed: string,
  type: 'totp' | 'hotp',
  algorithm: string,
  digits: number,
): OtpEntry {
  const secret = Secret.fromUTF8(seed).base32;
  return parseOtp(
    `otpauth://${type}/RFC:vector?secret=${secret}` +
      `&algorithm=${algorithm}&digits=${digits}&counter=0`,
  ).entry;
}

describe('RFC 6238 Appendix B test vectors', () => {
  // The RFC's reference code keys each hash with a seed as long as its output: 20, 32, 64 bytes.
  const seeds = {
    SHA1: '12345678901234567890',
    SHA256: '12345678901234567890123456789012',
    SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
  } as const;
  const rows: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];

  for (const [time, sha1, sha256, sha512] of rows) {
    for (const [algorithm, code] of [
      ['SHA1', sha1],
      ['SHA256', sha256],
      ['SHA512', sha512],
    ] as const) {
      it(`gives ${code} for ${algorithm} at T=${time}`, () => {
        const entry = entryFor(seeds[algorithm], 'totp', algorithm, 8);
        expect(otpCodeAt(entry, time * 1000).code).toBe(code);
      });
    }
  }

  it('uses the seed length of each hash (a 20-byte seed gives other SHA256 codes)', () => {
    const shortSeed = entryFor(seeds.SHA1, 'totp', 'SHA256', 8);
    expect(otpCodeAt(shortSeed, 59_000).code).not.toBe('46119246');
  });
});

describe('RFC 4226 Appendix D HOTP test vectors', () => {
  const codes = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];
  const base = entryFor('12345678901234567890', 'hotp', 'SHA1', 6);

  codes.forEach((code, counter) => {
    it(`gives ${code} at counter ${counter}`, () => {
      const entry = { ...base, counter } as OtpEntry;
      expect(otpCodeAt(entry, 0).code).toBe(code);
    });
  });
});
