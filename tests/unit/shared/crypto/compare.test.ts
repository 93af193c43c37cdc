import { describe, expect, it } from 'vitest';
import { constantTimeEqual, utf8 } from '../../../../shared/crypto/index.ts';

describe('constantTimeEqual', () => {
  it('is true exactly for equal byte strings', () => {
    expect(constantTimeEqual(utf8('alice'), utf8('alice'))).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('is false for a difference at any position', () => {
    const base = crypto.getRandomValues(new Uint8Array(32));
    for (let i = 0; i < base.length; i += 1) {
      for (const bit of [0x01, 0x80]) {
        const other = base.slice();
        other[i]! ^= bit;
        expect(constantTimeEqual(base, other)).toBe(false);
      }
    }
  });

  it('is false for different lengths, including a prefix', () => {
    expect(constantTimeEqual(utf8('alice'), utf8('alic'))).toBe(false);
    expect(constantTimeEqual(utf8(''), utf8('a'))).toBe(false);
  });

  it('rejects arguments that are not bytes', () => {
    expect(() => constantTimeEqual('a' as unknown as Uint8Array, utf8('a'))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});
