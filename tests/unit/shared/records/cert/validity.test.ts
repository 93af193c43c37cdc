// Validity state and days left at a given instant, around every boundary.
import { describe, expect, it } from 'vitest';
import { EXPIRING_WITHIN_DAYS, validityAt } from '../../../../../shared/records/cert/index.ts';

const DAY = 86_400_000;
const period = {
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2026-12-31T23:59:59Z'),
};
const at = (ms: number): Date => new Date(ms);

describe('validityAt', () => {
  it('is not yet valid before notBefore and valid from notBefore on', () => {
    expect(validityAt(period, at(period.notBefore.getTime() - 1)).state).toBe('not_yet_valid');
    expect(validityAt(period, period.notBefore).state).toBe('valid');
  });

  it('counts whole days left, rounding down', () => {
    const now = at(period.notAfter.getTime() - 100 * DAY - 1);
    expect(validityAt(period, now)).toEqual({ state: 'valid', daysLeft: 100 });
    expect(validityAt(period, at(period.notAfter.getTime() - 100 * DAY + 1)).daysLeft).toBe(99);
  });

  it(`is expiring within ${EXPIRING_WITHIN_DAYS} days of notAfter`, () => {
    const edge = period.notAfter.getTime() - EXPIRING_WITHIN_DAYS * DAY;
    expect(validityAt(period, at(edge - 1)).state).toBe('valid');
    expect(validityAt(period, at(edge))).toEqual({ state: 'expiring', daysLeft: 30 });
  });

  it('still counts notAfter itself as valid (RFC 5280: inclusive) and expires after it', () => {
    expect(validityAt(period, period.notAfter)).toEqual({ state: 'expiring', daysLeft: 0 });
    expect(validityAt(period, at(period.notAfter.getTime() + 1))).toEqual({
      state: 'expired',
      daysLeft: -1,
    });
    expect(validityAt(period, at(period.notAfter.getTime() + 10 * DAY)).daysLeft).toBe(-10);
  });

  it('refuses an invalid instant', () => {
    expect(() => validityAt(period, new Date(Number.NaN))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});
