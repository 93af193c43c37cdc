import { describe, expect, it } from 'vitest';
import { RandomSource, type FillRandom } from '../../../../../shared/records/generator/index.ts';

/** A byte source that replays given 32-bit words (little-endian, as Uint32Array reads them). */
function replay(words: number[]): { fill: FillRandom; calls: () => number } {
  let calls = 0;
  const fill: FillRandom = (bytes) => {
    calls += 1;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i * 4 < bytes.length; i += 1) view.setUint32(i * 4, words.shift() ?? 0, true);
  };
  return { fill, calls: () => calls };
}

describe('RandomSource', () => {
  it('redraws raw values at or above the last whole multiple of the range (no modulo bias)', () => {
    // 2^32 mod 3 = 1, so 0xFFFFFFFF alone would make 0 more likely: it must be thrown away.
    const source = new RandomSource(replay([0xffffffff, 5]).fill);
    expect(source.below(3)).toBe(2);
    // 2^32 mod 10 = 6: the top six values are rejected, the one below them is kept.
    const tens = new RandomSource(replay([0xfffffffa, 0xffffffff, 0xfffffff9]).fill);
    expect(tens.below(10)).toBe(0xfffffff9 % 10);
  });

  it('accepts every raw value when the range divides 2^32', () => {
    const source = new RandomSource(replay([0xffffffff]).fill);
    expect(source.below(256)).toBe(255);
  });

  it('draws big ranges by masking to the bit length and rejecting values past the range', () => {
    // Range 5 needs 3 bits: 7 and 6 are rejected, 4 is kept.
    const source = new RandomSource(replay([7, 6, 4]).fill);
    expect(source.bigBelow(5n)).toBe(4n);
    const wide = new RandomSource(replay([1, 2]).fill);
    expect(wide.bigBelow(1n << 64n)).toBe((1n << 32n) + 2n);
  });

  it('fetches randomness in batches and zeroes what it holds when disposed', () => {
    const source = replay(Array.from({ length: 600 }, (_, i) => i + 1));
    const random = new RandomSource(source.fill);
    for (let i = 0; i < 300; i += 1) random.uint32();
    expect(source.calls()).toBe(2);
    random.dispose();
    const internal = (random as unknown as { words: Uint32Array }).words;
    expect(internal.every((word) => word === 0)).toBe(true);
  });

  it('spreads shuffles over every permutation', () => {
    const random = new RandomSource();
    const seen = new Map<string, number>();
    for (let i = 0; i < 6000; i += 1) {
      const items = ['a', 'b', 'c'];
      random.shuffle(items);
      seen.set(items.join(''), (seen.get(items.join('')) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(count).toBeGreaterThan(800);
  });

  it('refuses ranges it cannot draw from', () => {
    const random = new RandomSource();
    expect(() => random.below(0)).toThrow(/range/);
    expect(() => random.below(2 ** 32 + 1)).toThrow(/range/);
    expect(() => random.bigBelow(0n)).toThrow(/range/);
  });
});
