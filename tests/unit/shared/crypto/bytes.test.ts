import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  fromBase64Url,
  fromHex,
  fromUtf8,
  toBase64Url,
  toHex,
  utf8,
} from '../../../../shared/crypto/index.ts';

// RFC 4648 §10 test vectors, in the url-safe alphabet without padding.
const RFC4648 = [
  ['', ''],
  ['f', 'Zg'],
  ['fo', 'Zm8'],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg'],
  ['fooba', 'Zm9vYmE'],
  ['foobar', 'Zm9vYmFy'],
] as const;

describe('UTF-8', () => {
  it('round-trips text including astral characters and a leading BOM', () => {
    for (const text of ['', 'alice', 'Zoë Müller-Łukasz', '東京', '🔑 key', '\ufeffbom']) {
      expect(fromUtf8(utf8(text))).toBe(text);
    }
  });

  it('refuses invalid UTF-8 instead of substituting U+FFFD', () => {
    for (const bad of [[0x80], [0xc3], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xc0, 0xaf]]) {
      expect(() => fromUtf8(Uint8Array.from(bad))).toThrow(
        expect.objectContaining({ code: 'invalid_input' }),
      );
    }
  });
});

describe('base64url', () => {
  it('encodes and decodes the RFC 4648 vectors', () => {
    for (const [plain, encoded] of RFC4648) {
      expect(toBase64Url(utf8(plain))).toBe(encoded);
      expect(fromUtf8(fromBase64Url(encoded))).toBe(plain);
    }
  });

  it('uses - and _ for the two url-safe digits', () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(toHex(fromBase64Url('-_-_'))).toBe('fbffbf');
  });

  it('round-trips every length from 0 to 64 of random bytes', () => {
    for (let length = 0; length <= 64; length += 1) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toHex(fromBase64Url(toBase64Url(bytes)))).toBe(toHex(bytes));
    }
  });

  it.each([
    ['padding', 'Zg=='],
    ['single padding', 'Zm8='],
    ['standard alphabet +', 'ab+c'],
    ['standard alphabet /', 'ab/c'],
    ['inner space', 'Zm9 v'],
    ['trailing newline', 'Zm9v\n'],
    ['leading space', ' Zm9v'],
    ['impossible length 4n+1', 'Zm9vY'],
    ['non-ASCII', 'Zm9vé'],
    ['non-zero trailing bits (one byte)', 'Zh'],
    ['non-zero trailing bits (two bytes)', 'Zm9'],
  ])('rejects %s', (_label, text) => {
    expect(() => fromBase64Url(text)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('never echoes the rejected input in its message', () => {
    try {
      fromBase64Url('s3cr3t-t0ken=');
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('s3cr3t');
    }
  });
});

describe('hex', () => {
  it('encodes lower-case and decodes either case', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff');
    expect(toHex(fromHex('0001ABff'))).toBe('0001abff');
  });

  it.each(['abc', '0g', '00 11', '0x00', '-1'])('rejects %j', (text) => {
    expect(() => fromHex(text)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('concatBytes', () => {
  it('joins parts in order', () => {
    expect(toHex(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)))).toBe(
      '010203',
    );
  });

  it('rejects a part that is not bytes', () => {
    expect(() => concatBytes(Uint8Array.of(1), 'x' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});
