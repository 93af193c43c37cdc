import { describe, expect, it } from 'vitest';
import { formatOtpUri, parseOtp, readOtpInput } from '../../../../../shared/records/totp/index.ts';
import { fixtureLines } from './fixtures.ts';

const inputs = [
  'otpauth://totp/Example:alice@example.com?secret=jbsw%20y3dp%20ehpk%203pxp&issuer=Example',
  'otpauth://hotp/Example%20Org:bob?secret=JBSWY3DPEHPK3PXP&counter=12&digits=8&algorithm=sha512',
  'otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP&period=10&digits=7&algorithm=SHA256',
  'otpauth://totp/A%3AB:alice?secret=JBSWY3DPEHPK3PXP&issuer=A%3AB',
  'otpauth://totp/:a:b?secret=JBSWY3DPEHPK3PXP',
  'otpauth://totp/C%2B%2B%20%26%20Co:al%20ice%2Btag%40example.com' +
    '?secret=JBSWY3DPEHPK3PXP&issuer=C%2B%2B+%26+Co',
  'otpauth://totp/Example:%E2%82%AC-konto?secret=JBSWY3DPEHPK3PXP&issuer=Example',
  'steam://JBSWY3DPEHPK3PXP',
  'JBSWY3DPEHPK3PXP',
];

describe('canonical otpauth URI', () => {
  for (const input of inputs) {
    it(`reads back to the same entry: ${input.slice(0, 60)}`, () => {
      const { entry } = parseOtp(input);
      const uri = formatOtpUri(entry);
      expect(parseOtp(uri).entry).toEqual(entry);
      expect(formatOtpUri(parseOtp(uri).entry)).toBe(uri);
    });
  }

  it('writes every parameter in a fixed order', () => {
    const { entry } = parseOtp(inputs[0] ?? '');
    expect(formatOtpUri(entry)).toBe(
      'otpauth://totp/Example:alice%40example.com?secret=JBSWY3DPEHPK3PXP' +
        '&issuer=Example&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('writes HOTP with its counter and Steam with encoder=steam', () => {
    expect(formatOtpUri(parseOtp(inputs[1] ?? '').entry)).toBe(
      'otpauth://hotp/Example%20Org:bob?secret=JBSWY3DPEHPK3PXP' +
        '&issuer=Example%20Org&algorithm=SHA512&digits=8&counter=12',
    );
    expect(formatOtpUri(parseOtp('steam://JBSWY3DPEHPK3PXP', { account: 'alice' }).entry)).toBe(
      'otpauth://totp/Steam:alice?secret=JBSWY3DPEHPK3PXP' +
        '&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam',
    );
  });

  it('round-trips every account of the case files', () => {
    const lines = [
      'totp-01-lowercase-secret.uri.txt',
      'totp-09-issuer-mismatch.uri.txt',
      'totp-11-encoded-colon-separator.uri.txt',
      'totp-12-plus-in-issuer.uri.txt',
      'totp-13-steam.uris.txt',
      'totp-14-migration-basic.uri.txt',
      'totp-17-hotp-counter.uri.txt',
      'totp-20-7digits-10s.uri.txt',
    ].flatMap((file) => fixtureLines(file));
    for (const line of lines) {
      for (const { entry } of readOtpInput(line).accounts) {
        expect(parseOtp(formatOtpUri(entry)).entry).toEqual(entry);
      }
    }
  });
});
