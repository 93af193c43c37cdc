import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  joinPlaintexts,
  keepOnly,
} from '../../../../shared/client/plaintext-batch.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('a batch of record plaintexts in one buffer', () => {
  it('decodes every record to the text it holds, whatever its characters', () => {
    const texts = [
      '{"title":"plain"}',
      '{"title":"café ☕ 東京"}',
      '{"title":"emoji 🔑🗝️ and more"}',
      '{}',
      ' {"leading":"space"}',
      '{"title":"last é"}',
    ];
    const parts = texts.map(utf8);
    const batch = joinPlaintexts([parts[0]!, null, ...parts.slice(1)]);
    expect(decodeRecords(batch)).toEqual([texts[0], null, ...texts.slice(1)]);
    // Each part was zeroed once copied.
    expect(parts.every((part) => part.every((b) => b === 0))).toBe(true);
  });

  it(
    'finds the records that are not UTF-8, even ' + 'when two halves would join into a character',
    () => {
      // 0xC3 0xA9 is "é": split between two records, each half is invalid on its own.
      const split = [Uint8Array.of(0x7b, 0x22, 0xc3), Uint8Array.of(0xa9, 0x22, 0x7d)];
      const good = () => utf8('{"ok":"ü"}');
      const invalid = Uint8Array.of(0x7b, 0xff, 0x7d);
      expect(decodeRecords(joinPlaintexts([...split, good()]))).toEqual([null, null, '{"ok":"ü"}']);
      expect(decodeRecords(joinPlaintexts([good(), invalid, utf8('{"x":1}')]))).toEqual([
        '{"ok":"ü"}',
        null,
        '{"x":1}',
      ]);
    },
  );

  it('keeps the records asked for, empties the rest and zeroes what is left over', () => {
    const batch = joinPlaintexts([utf8('{"a":1}'), utf8('{"secret":"s3cr3t"}'), utf8('{"c":3}')]);
    const buffer = batch.bytes;
    const kept = keepOnly(batch, [true, false, true]);
    expect(Array.from(kept.ends)).toEqual([7, 7, 14]);
    expect(new TextDecoder().decode(kept.bytes)).toBe('{"a":1}{"c":3}');
    expect(buffer.subarray(kept.bytes.length).every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(buffer)).not.toContain('s3cr3t');
  });
});
