import { describe, expect, it } from 'vitest';
import { MASK_TEXT, Masker } from '../../../cli/masker.ts';

function run(values: string[], chunks: string[]): string {
  const masker = new Masker(values);
  const out = chunks.map((chunk) => masker.push(Buffer.from(chunk)).toString());
  return out.join('') + masker.end().toString();
}

describe('masking secrets in a stream', () => {
  it('masks a value whole or split at every position', () => {
    const secret = 'hunter2-Zq9';
    const text = `before ${secret} after`;
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(run([secret], [text.slice(0, cut), text.slice(cut)])).toBe(
        `before ${MASK_TEXT} after`,
      );
    }
    expect(run([secret], [...text])).toBe(`before ${MASK_TEXT} after`);
  });

  it('masks the longer of two overlapping values and every occurrence', () => {
    expect(run(['abcd', 'abcdef'], ['xabcdefx abcd'])).toBe(`x${MASK_TEXT}x ${MASK_TEXT}`);
  });

  it('holds back only what could start a value, and flushes it at the end', () => {
    const masker = new Masker(['secret-value']);
    expect(masker.push(Buffer.from('line one\nsec')).toString()).toBe('line one\n');
    expect(masker.push(Buffer.from('ond line\n')).toString()).toBe('second line\n');
    expect(masker.push(Buffer.from('ends with secr')).toString()).toBe('ends with ');
    expect(masker.end().toString()).toBe('secr');
  });

  it('leaves values too short to mask meaningfully, and multi-byte text intact', () => {
    expect(run(['on', '1'], ['on 1 on'])).toBe('on 1 on');
    expect(new Masker(['abc']).active).toBe(false);
    const secret = 'pässwörd-東京';
    const bytes = Buffer.from(`x${secret}y`);
    const masker = new Masker([secret]);
    const out = Buffer.concat([
      ...[...bytes].map((byte) => masker.push(Buffer.from([byte]))),
      masker.end(),
    ]);
    expect(out.toString()).toBe(`x${MASK_TEXT}y`);
  });
});
