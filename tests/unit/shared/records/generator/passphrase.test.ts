import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../../shared/errors.ts';
import {
  EFF_LARGE_WORDLIST,
  generatePassphrase,
  passphraseEntropyBits,
  type PassphraseOptionsInput,
} from '../../../../../shared/records/generator/index.ts';

const words = new Set(EFF_LARGE_WORDLIST);

function refusal(options: PassphraseOptionsInput): unknown {
  try {
    generatePassphrase(options);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('generatePassphrase', () => {
  it('joins the requested number of list words with the separator', () => {
    for (const count of [3, 6, 20]) {
      for (let i = 0; i < 50; i += 1) {
        const { value } = generatePassphrase({ words: count, separator: ' ' });
        const parts = value.split(' ');
        expect(parts).toHaveLength(count);
        for (const part of parts) expect(words.has(part)).toBe(true);
      }
    }
  });

  it('defaults to six words joined by "-", every one from the list', () => {
    for (let i = 0; i < 100; i += 1) {
      const { value } = generatePassphrase();
      // Hyphenated list words (t-shirt) would split apart; rejoin by matching against the list.
      const parts = value.match(/drop-down|felt-tip|t-shirt|yo-yo|[a-z]+/g) ?? [];
      expect(parts).toHaveLength(6);
      for (const part of parts) expect(words.has(part)).toBe(true);
    }
  });

  it('capitalises every word and appends exactly one digit when asked', () => {
    for (let i = 0; i < 200; i += 1) {
      const { value } = generatePassphrase({
        words: 5,
        separator: '.',
        capitalize: true,
        includeNumber: true,
      });
      const parts = value.split('.');
      expect(parts).toHaveLength(5);
      expect(value.replace(/[^0-9]/g, '')).toHaveLength(1);
      for (const part of parts) {
        const word = part.replace(/[0-9]$/, '');
        expect(word.charAt(0)).toMatch(/[A-Z]/);
        expect(words.has(word.charAt(0).toLowerCase() + word.slice(1))).toBe(true);
      }
    }
  });

  it('puts the digit in every word position over many draws', () => {
    const positions = new Set<number>();
    for (let i = 0; i < 300; i += 1) {
      const parts = generatePassphrase({
        words: 4,
        separator: ' ',
        includeNumber: true,
      }).value.split(' ');
      positions.add(parts.findIndex((part) => /[0-9]$/.test(part)));
    }
    expect([...positions].sort()).toEqual([0, 1, 2, 3]);
  });

  it('reports log2(7776) bits per word, plus the digit and its position', () => {
    expect(passphraseEntropyBits({ words: 6 })).toBeCloseTo(6 * Math.log2(7776), 9);
    expect(passphraseEntropyBits({ words: 6 })).toBeCloseTo(77.549, 3);
    expect(passphraseEntropyBits({ words: 4, includeNumber: true })).toBeCloseTo(
      4 * Math.log2(7776) + Math.log2(40),
      9,
    );
    expect(generatePassphrase({ words: 5 }).entropyBits).toBeCloseTo(5 * Math.log2(7776), 9);
  });

  it('draws from the whole list, not a prefix of it', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1)
      for (const w of generatePassphrase({ words: 20, separator: ' ' }).value.split(' '))
        seen.add(w);
    const indexes = [...seen].map((w) => EFF_LARGE_WORDLIST.indexOf(w));
    // 4000 draws from 7776 words: both ends of the list are reached.
    expect(Math.min(...indexes)).toBeLessThan(300);
    expect(Math.max(...indexes)).toBeGreaterThan(7476);
  });

  it('refuses separators with letters or digits and word counts out of range', () => {
    for (const options of [
      { separator: 'x' },
      { separator: '1' },
      { separator: '\n' },
      { words: 2 },
      { words: 21 },
    ]) {
      const error = refusal(options);
      expect(isCofferError(error, 'generator_options_invalid')).toBe(true);
      expect((error as Error).message).toMatch(/separator|words/);
    }
  });

  it('accepts an empty separator and multi-character ones', () => {
    expect(generatePassphrase({ words: 3, separator: '' }).value).toMatch(/^[a-z-]+$/);
    expect(generatePassphrase({ words: 3, separator: ' · ' }).value.split(' · ')).toHaveLength(3);
  });
});
