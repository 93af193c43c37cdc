import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIGITS,
  LOWERCASE,
  UPPERCASE,
  generatePassword,
  passwordEntropyBits,
} from '../../../../../shared/records/generator/index.ts';
import { CHI_SQUARE_P0001, chiSquare } from './stats.ts';

const fixtures = new URL('../../../../fixtures/gen/', import.meta.url);

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
}

interface GenCase {
  length: number;
  sets: Record<string, string>;
  samples: number;
  minNumbers?: number;
  minSpecial?: number;
}

describe('gen-01: a minimum of 0 forces nothing (bitwarden/jslib#718)', () => {
  const gen01 = fixture('gen-01-min-zero-bias.json') as GenCase;

  it('uses the case file’s letter and digit sets unchanged', () => {
    expect(gen01.sets['lower']).toBe(LOWERCASE);
    expect(gen01.sets['upper']).toBe(UPPERCASE);
    expect(gen01.sets['digits']).toBe(DIGITS);
  });

  const options = {
    length: gen01.length,
    lower: { min: 0 },
    upper: { min: 0 },
    digits: { min: gen01.minNumbers ?? 0 },
    symbols: { min: gen01.minSpecial ?? 0 },
    symbolSet: gen01.sets['special'] ?? '',
  };

  it('keeps the no-digit and no-special fractions inside the 5-sigma bands', () => {
    const special = new Set(options.symbolSet);
    let noDigit = 0;
    let noSpecial = 0;
    for (let i = 0; i < gen01.samples; i += 1) {
      const { value } = generatePassword(options);
      expect(value).toHaveLength(gen01.length);
      if (!/[0-9]/.test(value)) noDigit += 1;
      if (!Array.from(value).some((char) => special.has(char))) noSpecial += 1;
    }
    // Expected: P(no digit) = (60/70)^5 = 0.4627, P(no special) = (62/70)^5 = 0.5451.
    const noDigitFraction = noDigit / gen01.samples;
    const noSpecialFraction = noSpecial / gen01.samples;
    expect(noDigitFraction).toBeGreaterThanOrEqual(0.4377);
    expect(noDigitFraction).toBeLessThanOrEqual(0.4876);
    expect(noSpecialFraction).toBeGreaterThan(0.5202);
    expect(noSpecialFraction).toBeLessThan(0.57);
  });

  it('reports the entropy of 5 uniform draws from 70 symbols', () => {
    expect(passwordEntropyBits(options)).toBeCloseTo(5 * Math.log2(70), 9);
  });
});

describe('gen-02: every digit is generated, evenly (bitwarden/clients#97, #10199)', () => {
  const gen02 = fixture('gen-02-digits-only-coverage.json') as GenCase;

  it('covers 0-9 with counts inside [2167, 2632] and chi-square below 33.7', () => {
    const digits = gen02.sets['digits'] ?? '';
    expect(digits).toBe(DIGITS);
    const options = {
      length: gen02.length,
      lower: { include: false },
      upper: { include: false },
      symbols: { include: false },
      digits: { min: 0 },
    };
    const counts = new Map<string, number>(Array.from(digits, (digit) => [digit, 0]));
    for (let i = 0; i < gen02.samples; i += 1) {
      for (const char of generatePassword(options).value) {
        counts.set(char, (counts.get(char) ?? 0) + 1);
      }
    }
    expect([...counts.keys()].sort().join('')).toBe(digits);
    const observed = [...counts.values()];
    expect(observed.reduce((a, b) => a + b, 0)).toBe(24_000);
    for (const count of observed) {
      expect(count).toBeGreaterThanOrEqual(2167);
      expect(count).toBeLessThanOrEqual(2632);
    }
    expect(chiSquare(observed, 2400)).toBeLessThan(CHI_SQUARE_P0001[9] ?? 0);
  });
});
