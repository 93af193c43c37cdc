import { describe, expect, it } from 'vitest';
import { encodeAad, toHex, utf8 } from '../../../../shared/crypto/index.ts';

describe('associated data encoding (format 1)', () => {
  it('encodes the documented layout byte for byte', () => {
    // 0x01 ‖ [0x01 len "record"] ‖ [0x01 len "f1"] ‖ [0x02 len u64(7)] ‖ [0x03 len de ad]
    expect(toHex(encodeAad('record', ['f1', 7, Uint8Array.of(0xde, 0xad)]))).toBe(
      '01' +
        '01' +
        '00000006' +
        toHex(utf8('record')) +
        '01' +
        '00000002' +
        toHex(utf8('f1')) +
        '02' +
        '00000008' +
        '0000000000000007' +
        '03' +
        '00000002' +
        'dead',
    );
  });

  it('encodes a kind with no fields and the largest safe integer', () => {
    expect(toHex(encodeAad('user-key', []))).toBe('010100000008' + toHex(utf8('user-key')));
    expect(toHex(encodeAad('k', [Number.MAX_SAFE_INTEGER]))).toContain('001fffffffffffff');
  });

  it('never encodes two different tuples alike', () => {
    const tuples: [string, (string | number | Uint8Array)[]][] = [
      ['record', ['ab', 'c']],
      ['record', ['a', 'bc']],
      ['record', ['abc']],
      ['record', ['abc', '']],
      ['record', ['', 'abc']],
      ['record', [1]],
      ['record', ['1']],
      ['record', [Uint8Array.of(1)]],
      ['record', [Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1)]],
      ['record', [1, 2]],
      ['record', [12]],
      ['record', [0]],
      ['record', []],
      ['recor', ['d']],
      ['folder-name', ['f1']],
      ['folder-key', ['f1']],
      ['record', ['f1\u0000', 'r1']],
      ['record', ['f1', '\u0000r1']],
    ];
    const encodings = new Set(tuples.map(([kind, fields]) => toHex(encodeAad(kind, fields))));
    expect(encodings.size).toBe(tuples.length);
  });

  it('does not normalise strings: NFC and NFD spell different ids', () => {
    const nfc = encodeAad('record', ['caf\u00e9']);
    const nfd = encodeAad('record', ['cafe\u0301']);
    expect(toHex(nfc)).not.toBe(toHex(nfd));
  });

  it.each([
    ['an empty kind', '', []],
    ['an upper-case kind', 'Record', []],
    ['a kind with spaces', 'a b', []],
    ['a kind starting with a digit', '1record', []],
    ['a kind longer than 64 characters', 'a'.repeat(65), []],
    ['a negative integer', 'record', [-1]],
    ['a fractional number', 'record', [1.5]],
    ['an unsafe integer', 'record', [2 ** 53]],
    ['NaN', 'record', [Number.NaN]],
    ['a lone high surrogate', 'record', ['a\ud800']],
    ['a lone low surrogate', 'record', ['\udc00b']],
    ['a boolean', 'record', [true]],
    ['null', 'record', [null]],
    ['a nested array', 'record', [['a']]],
  ])('rejects %s', (_label, kind, fields) => {
    expect(() => encodeAad(kind, fields as never)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('accepts astral characters as well-formed pairs', () => {
    expect(() => encodeAad('record', ['🔑'])).not.toThrow();
  });
});
