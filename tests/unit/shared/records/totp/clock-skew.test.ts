import { describe, expect, it } from 'vitest';
import { checkClockSkew } from '../../../../../shared/records/totp/index.ts';

/** A server instant, its Date header (whole seconds), and local clocks offset from it. */
const SERVER_MS = Date.UTC(2026, 11, 4, 16, 30, 15, 400);
const DATE_HEADER = 'Fri, 04 Dec 2026 16:30:15 GMT';

function at(offsetSeconds: number): ReturnType<typeof checkClockSkew> {
  return checkClockSkew({
    serverDate: DATE_HEADER,
    receivedAtMs: SERVER_MS + offsetSeconds * 1000,
  });
}

describe('clock skew against the server Date header (TT-01)', () => {
  it('reads the Date header as the moment it names', () => {
    expect(new Date(SERVER_MS).toUTCString()).toBe(DATE_HEADER);
  });

  for (const offset of [0, 29, -29]) {
    it(`accepts a clock ${offset} s off`, () => {
      const result = at(offset);
      expect(result.status).toBe('ok');
      if (result.status !== 'unknown') expect(result.warning).toBeNull();
    });
  }

  for (const [offset, words] of [
    [31, /31 seconds ahead of/],
    [-31, /31 seconds behind/],
    [600, /about 10 minutes ahead of/],
    [-600, /about 10 minutes behind/],
    [3 * 86400, /about 3 days ahead/],
  ] as const) {
    it(`warns about a clock ${offset} s off and says why codes may fail`, () => {
      const result = at(offset);
      expect(result.status).toBe('skewed');
      if (result.status === 'skewed') {
        expect(Math.sign(result.skewSeconds)).toBe(Math.sign(offset));
        expect(Math.abs(result.skewSeconds - offset)).toBeLessThanOrEqual(1);
        expect(result.warning).toMatch(words);
        expect(result.warning).toMatch(/One-time codes .* may be rejected/);
      }
    });
  }

  it('uses the midpoint of a slow round trip as the local reference', () => {
    const slow = checkClockSkew({
      serverDate: DATE_HEADER,
      sentAtMs: SERVER_MS - 40_000,
      receivedAtMs: SERVER_MS + 40_000,
    });
    expect(slow.status).toBe('ok');
    expect(at(40).status).toBe('skewed');
  });

  for (const header of [
    'Friday, 04-Dec-26 16:30:15 GMT',
    'Fri Dec  4 16:30:15 2026',
    '  Fri, 04 Dec 2026 16:30:15 GMT ',
  ]) {
    it(`reads the obsolete or padded HTTP-date form '${header.trim()}'`, () => {
      const result = checkClockSkew({ serverDate: header, receivedAtMs: SERVER_MS + 31_000 });
      expect(result.status).toBe('skewed');
    });
  }

  for (const header of [
    null,
    undefined,
    '',
    'yesterday',
    'Fri, 31 Feb 2026 16:30:15 GMT',
    'Fri, 04 Dec 2026 25:30:15 GMT',
    '2026-12-04T16:30:15Z',
    'Fri, 04 Dec 2026 16:30:15 PST',
  ]) {
    it(`reports unknown, not a false alarm, for Date header ${JSON.stringify(header)}`, () => {
      expect(checkClockSkew({ serverDate: header, receivedAtMs: SERVER_MS }).status).toBe(
        'unknown',
      );
    });
  }

  it('refuses a local time that is not a number of milliseconds', () => {
    expect(() => checkClockSkew({ serverDate: DATE_HEADER, receivedAtMs: Number.NaN })).toThrow(
      /Local time/,
    );
  });
});
