import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EFF_LARGE_WORDLIST,
  EFF_LARGE_WORDLIST_SIZE,
} from '../../../../../shared/records/generator/index.ts';

/** SHA-256 of the EFF's published eff_large_wordlist.txt (resources/wordlists/README.md). */
const PUBLISHED_SHA256 = 'addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e';

/** The dice roll that names word `index`: base 6, digits 1–6, five dice. */
function diceIndex(index: number): string {
  return index
    .toString(6)
    .padStart(5, '0')
    .replace(/[0-5]/g, (d) => String(Number(d) + 1));
}

describe('EFF large word list', () => {
  it('is byte for byte the published file once dice numbers are put back', () => {
    const file = EFF_LARGE_WORDLIST.map((word, i) => `${diceIndex(i)}\t${word}\n`).join('');
    expect(EFF_LARGE_WORDLIST).toHaveLength(EFF_LARGE_WORDLIST_SIZE);
    expect(Buffer.byteLength(file)).toBe(108_800);
    expect(createHash('sha256').update(file).digest('hex')).toBe(PUBLISHED_SHA256);
  });

  it('holds 7776 distinct lowercase words, four of them hyphenated', () => {
    expect(new Set(EFF_LARGE_WORDLIST).size).toBe(7776);
    expect(EFF_LARGE_WORDLIST.every((word) => /^[a-z]+(-[a-z]+)?$/.test(word))).toBe(true);
    expect(EFF_LARGE_WORDLIST.filter((word) => word.includes('-'))).toEqual([
      'drop-down',
      'felt-tip',
      't-shirt',
      'yo-yo',
    ]);
  });

  it('cannot print two different word sequences alike with a "-" separator', () => {
    // Ambiguity needs a hyphenated word whose second half starts another hyphenated word
    // ("x-y" and "y-z") while x and z are list words on their own.
    const list = new Set(EFF_LARGE_WORDLIST);
    const hyphenated = EFF_LARGE_WORDLIST.filter((word) => word.includes('-')).map((w) =>
      w.split('-'),
    );
    for (const [x, y] of hyphenated) {
      for (const [y2, z] of hyphenated) {
        if (y === y2) expect(list.has(x ?? '') && list.has(z ?? '')).toBe(false);
      }
    }
  });
});
