import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  DEFAULT_SYMBOLS,
  DIGITS,
  LOOK_ALIKES,
  LOWERCASE,
  UPPERCASE,
  generatePassword,
  passwordEntropyBits,
  type PasswordOptionsInput,
} from '../../../../../shared/records/generator/index.ts';
import { CHI_SQUARE_P0001, chiSquare, countOf } from './stats.ts';

const inSet = (set: string) => (char: string) => set.includes(char);

function expectOptionsRefused(options: PasswordOptionsInput, mention: RegExp): void {
  let caught: unknown;
  try {
    generatePassword(options);
  } catch (error) {
    caught = error;
  }
  expect(isCofferError(caught, 'generator_options_invalid')).toBe(true);
  expect((caught as Error).message).toMatch(mention);
}

describe('generatePassword', () => {
  it('produces the requested length from the default classes', () => {
    for (const length of [1, 4, 20, 64, 256]) {
      const mins =
        length >= 4
          ? {}
          : { lower: { min: 0 }, upper: { min: 0 }, digits: { min: 0 }, symbols: { min: 0 } };
      const { value } = generatePassword({ length, ...mins });
      expect(Array.from(value)).toHaveLength(length);
      expect(
        Array.from(value).every((char) =>
          (LOWERCASE + UPPERCASE + DIGITS + DEFAULT_SYMBOLS).includes(char),
        ),
      ).toBe(true);
    }
  });

  it('meets every per-class minimum, even when the minimums fill the whole length', () => {
    const policies: PasswordOptionsInput[] = [
      { length: 8, lower: { min: 2 }, upper: { min: 2 }, digits: { min: 2 }, symbols: { min: 2 } },
      { length: 6, lower: { min: 0 }, upper: { min: 0 }, digits: { min: 5 }, symbols: { min: 1 } },
      { length: 12, upper: { include: false }, symbols: { min: 4 } },
      { length: 30, digits: { min: 10 }, symbolSet: '#', symbols: { min: 3 } },
    ];
    for (const policy of policies) {
      for (let i = 0; i < 300; i += 1) {
        const { value } = generatePassword(policy);
        expect(value).toHaveLength(policy.length ?? 0);
        const symbols = policy.symbolSet ?? DEFAULT_SYMBOLS;
        const check = [
          [policy.lower, LOWERCASE],
          [policy.upper, UPPERCASE],
          [policy.digits, DIGITS],
          [policy.symbols, symbols],
        ] as const;
        for (const [cls, set] of check) {
          const count = countOf(value, inSet(set));
          if (cls?.include === false) expect(count).toBe(0);
          else expect(count).toBeGreaterThanOrEqual(cls?.min ?? 1);
        }
      }
    }
  });

  it('never uses a look-alike character when asked to avoid them', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i += 1) {
      const { value } = generatePassword({
        length: 64,
        avoidLookAlikes: true,
        symbols: { min: 3 },
      });
      for (const char of value) seen.add(char);
    }
    for (const char of LOOK_ALIKES) expect(seen.has(char)).toBe(false);
    // The other characters still occur: avoiding look-alikes removes nothing else.
    expect(seen.has('a') && seen.has('Z') && seen.has('7') && seen.has('#')).toBe(true);
  });

  it('never uses a custom-excluded character', () => {
    const exclude = '{}[]()<>aeiouAEIOU';
    for (let i = 0; i < 300; i += 1) {
      const { value } = generatePassword({ length: 48, exclude });
      expect(countOf(value, inSet(exclude))).toBe(0);
    }
  });

  it('draws each symbol equally often (chi-square, 27 degrees of freedom, p = 0.0001)', () => {
    const symbols = Array.from(DEFAULT_SYMBOLS);
    expect(symbols).toHaveLength(28);
    const counts = new Map<string, number>(symbols.map((char) => [char, 0]));
    const draws = 28_000;
    for (let i = 0; i < draws / 100; i += 1) {
      const options = { length: 100, lower: { include: false }, upper: { include: false } };
      const { value } = generatePassword({ ...options, digits: { include: false } });
      for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(counts.size).toBe(28);
    expect(chiSquare([...counts.values()], draws / 28)).toBeLessThan(CHI_SQUARE_P0001[27] ?? 0);
  });

  it('is uniform over every password that meets the minimums, not just over characters', () => {
    // Alphabet {a, b, 0, 1}, length 3, at least one digit: 4^3 - 2^3 = 56 valid passwords.
    // A generator that forces a digit into a chosen slot and fills the rest freely would give
    // "0aa" four times the weight of "001"; the exact method gives every one 1/56.
    const options: PasswordOptionsInput = {
      length: 3,
      upper: { include: false },
      symbols: { include: false },
      lower: { min: 0 },
      digits: { min: 1 },
      exclude: 'cdefghijklmnopqrstuvwxyz23456789',
    };
    expect(passwordEntropyBits(options)).toBeCloseTo(Math.log2(56), 9);
    const counts = new Map<string, number>();
    const perOutcome = 400;
    for (let i = 0; i < 56 * perOutcome; i += 1) {
      const { value } = generatePassword(options);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect(counts.size).toBe(56);
    expect(
      [...counts.keys()].every((value) => /^[ab01]{3}$/.test(value) && /[01]/.test(value)),
    ).toBe(true);
    expect(chiSquare([...counts.values()], perOutcome)).toBeLessThan(CHI_SQUARE_P0001[55] ?? 0);
  });

  it('reports entropy as log2 of the number of valid passwords', () => {
    const noMinimum = {
      lower: { min: 0 },
      upper: { min: 0 },
      digits: { min: 0 },
      symbols: { min: 0 },
    };
    expect(passwordEntropyBits({ length: 16, ...noMinimum })).toBeCloseTo(16 * Math.log2(90), 9);
    // Two classes {a..z} and {0..9}, length 2, one of each: 2 · 26 · 10 = 520 passwords.
    const twoClasses: PasswordOptionsInput = {
      length: 2,
      upper: { include: false },
      symbols: { include: false },
    };
    expect(passwordEntropyBits(twoClasses)).toBeCloseTo(Math.log2(520), 9);
    const generated = generatePassword({ length: 20 });
    expect(generated.entropyBits).toBeCloseTo(passwordEntropyBits({ length: 20 }), 9);
    expect(generated.entropyBits).toBeLessThan(20 * Math.log2(90));
    expect(generated.entropyBits).toBeGreaterThan(125);
  });

  it('refuses policies it cannot honour, naming the option', () => {
    expectOptionsRefused(
      { length: 4, lower: { min: 2 }, upper: { min: 2 }, digits: { min: 1 } },
      /add up to 6, more than the length 4/,
    );
    expectOptionsRefused(
      {
        lower: { include: false },
        upper: { include: false },
        digits: { include: false },
        symbols: { include: false },
      },
      /no characters left/,
    );
    expectOptionsRefused(
      { digits: { min: 1 }, exclude: DIGITS },
      /digits: every character is excluded/,
    );
    expectOptionsRefused({ length: 0 }, /^Password generator: length:/);
    expectOptionsRefused({ length: 257 }, /^Password generator: length:/);
    expectOptionsRefused({ length: 2.5 }, /length/);
    expectOptionsRefused({ symbolSet: '#a' }, /symbolSet/);
    expectOptionsRefused({ symbolSet: '##' }, /symbolSet lists a character more than once/);
    expectOptionsRefused({ digits: { min: -1 } }, /digits\.min/);
    expectOptionsRefused({ lenght: 10 } as unknown as PasswordOptionsInput, /lenght|Unrecognized/);
  });

  it('drops an included class whose every character is excluded when its minimum is 0', () => {
    const { value } = generatePassword({ length: 30, digits: { min: 0 }, exclude: DIGITS });
    expect(countOf(value, inSet(DIGITS))).toBe(0);
  });
});
