import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../../shared/errors.ts';
import {
  advanceHotp,
  otpCodeAt,
  parseOtp,
  validateOtpEntry,
} from '../../../../../shared/records/totp/index.ts';
import type { HotpEntry, OtpEntry } from '../../../../../shared/records/totp/index.ts';

const totp = parseOtp('otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
  .entry as OtpEntry;

function rejection(run: () => unknown): CofferError {
  try {
    run();
  } catch (error) {
    if (error instanceof CofferError) return error;
    throw error;
  }
  throw new Error('expected a CofferError');
}

describe('code and countdown at a given instant', () => {
  it('counts down within a 30 s step and changes code exactly at the boundary', () => {
    const stepStart = 1_700_000_010_000; // 1700000010 is a multiple of 30
    const first = otpCodeAt(totp, stepStart);
    expect(first.secondsLeft).toBe(30);
    expect(first.msLeft).toBe(30_000);
    const late = otpCodeAt(totp, stepStart + 29_001);
    expect(late.code).toBe(first.code);
    expect(late.secondsLeft).toBe(1);
    const next = otpCodeAt(totp, stepStart + 30_000);
    expect(next.counter).toBe(first.counter + 1);
    expect(next.code).not.toBe(first.code);
  });

  it('rounds the seconds left up, so a fresh code never shows 0', () => {
    expect(otpCodeAt(totp, 1_700_000_000_000).secondsLeft).toBe(10);
    expect(otpCodeAt(totp, 1_700_000_000_400).secondsLeft).toBe(10);
    expect(otpCodeAt(totp, 1_700_000_009_999).secondsLeft).toBe(1);
  });

  it('recomputes from the time given after a clock jump backwards or forwards', () => {
    const before = otpCodeAt(totp, 1_700_000_000_000);
    const jumped = otpCodeAt(totp, 1_700_000_000_000 + 600_000);
    const back = otpCodeAt(totp, 1_700_000_000_000);
    expect(jumped.counter).toBe(before.counter + 20);
    expect(back).toEqual(before);
  });

  it('honours periods other than 30 s', () => {
    const tenSeconds = { ...totp, period: 10 } as OtpEntry;
    const at = otpCodeAt(tenSeconds, 1_700_000_003_000);
    expect(at.counter).toBe(170_000_000);
    expect(at.secondsLeft).toBe(7);
  });

  it('gives HOTP codes without a countdown, independent of time', () => {
    const hotp = parseOtp('otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=3').entry;
    const early = otpCodeAt(hotp, 0);
    const later = otpCodeAt(hotp, 1_900_000_000_000);
    expect(early).toEqual(later);
    expect(early.secondsLeft).toBeNull();
    expect(early.counter).toBe(3);
  });

  it('moves an HOTP entry to the next counter without changing the original', () => {
    const hotp = parseOtp('otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=3').entry as HotpEntry;
    const next = advanceHotp(hotp);
    expect(next.counter).toBe(4);
    expect(hotp.counter).toBe(3);
    expect(otpCodeAt(next, 0).code).not.toBe(otpCodeAt(hotp, 0).code);
  });

  for (const [what, time] of [
    ['NaN', Number.NaN],
    ['a negative time', -1],
    ['infinity', Number.POSITIVE_INFINITY],
    ['a time past the Date range', 9e15],
  ] as const) {
    it(`refuses ${what} as the current time`, () => {
      expect(rejection(() => otpCodeAt(totp, time)).code).toBe('invalid_input');
    });
  }
});

describe('stored entries are validated before any code is computed', () => {
  const broken: [string, unknown][] = [
    ['a lower-case secret', { ...totp, secret: 'jbswy3dpehpk3pxp' }],
    ['a padded secret', { ...totp, secret: 'JBSWY3DPEHPK3PXP====' }],
    ['9 digits', { ...totp, digits: 9 }],
    ['period 0', { ...totp, period: 0 }],
    ['an MD5 algorithm', { ...totp, algorithm: 'MD5' }],
    ['an unknown type', { ...totp, type: 'motp' }],
    ['an extra field', { ...totp, extra: 1 }],
    ['a Steam entry with 6 digits', { ...totp, type: 'steam', digits: 6 }],
    ['a fractional HOTP counter', { ...totp, type: 'hotp', counter: 1.5, period: undefined }],
    ['not an object', 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP'],
  ];
  for (const [what, value] of broken) {
    it(`refuses ${what}`, () => {
      const error = rejection(() => otpCodeAt(value as OtpEntry, 0));
      expect(error.code).toBe('invalid_input');
      expect(error.message).not.toContain('JBSWY3DP');
    });
  }

  it('accepts every entry the parser produces', () => {
    expect(validateOtpEntry(totp)).toEqual(totp);
  });
});
