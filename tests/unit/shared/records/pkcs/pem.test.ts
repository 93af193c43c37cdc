// The PEM scanner on its own: line endings, indentation, RFC 1421 headers, positions and labels.
import { describe, expect, it } from 'vitest';
import { readPemBlocks } from '../../../../../shared/records/pkcs/pem.ts';

const body = btoa(String.fromCharCode(...Array.from({ length: 100 }, (_, i) => i)));
const wrapped = body.replace(/(.{64})/g, '$1\n');

describe('readPemBlocks', () => {
  it('finds blocks between any text, with LF, CRLF or bare CR endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        'Bag Attributes',
        '-----BEGIN CERTIFICATE-----',
        ...wrapped.split('\n'),
        '-----END CERTIFICATE-----',
        'subject=CN = x',
        '-----BEGIN PRIVATE KEY-----',
        body,
        '-----END PRIVATE KEY-----',
      ].join(eol);
      const blocks = readPemBlocks(text);
      expect(blocks.map((b) => [b.index, b.label, b.line])).toEqual([
        [1, 'CERTIFICATE', 2],
        [2, 'PRIVATE KEY', 8],
      ]);
      expect(Array.from(blocks[0]?.der ?? [])).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
  });

  it('accepts indented blocks (YAML, mail quoting of spaces) and blank lines in the body', () => {
    const indented = `config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n    ${body.slice(0, 40)}\n\n    ${body.slice(40)}\n    -----END CERTIFICATE-----\n`;
    expect(readPemBlocks(indented)[0]?.der.length).toBe(100);
  });

  it('reads RFC 1421 headers, including a value continued after a comma', () => {
    const text = [
      '  -----BEGIN RSA PRIVATE KEY-----',
      '  Proc-Type: 4,ENCRYPTED',
      '  DEK-Info: AES-256-CBC,',
      '   00112233445566778899AABBCCDDEEFF',
      '',
      `  ${body}`,
      '  -----END RSA PRIVATE KEY-----',
    ].join('\n');
    const [block] = readPemBlocks(text);
    expect(block?.headers.get('Proc-Type')).toBe('4,ENCRYPTED');
    expect(block?.headers.get('DEK-Info')).toBe('AES-256-CBC,00112233445566778899AABBCCDDEEFF');
    expect(block?.der.length).toBe(100);
  });

  it('returns nothing for text without armour, and names an empty block', () => {
    expect(readPemBlocks('subject=CN = www.example.com\nissuer=CN = ca\n')).toEqual([]);
    expect(() => readPemBlocks('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----')).toThrow(
      'PEM block 1 (CERTIFICATE, line 1) has no content.',
    );
  });

  it('names a block cut off by the next BEGIN', () => {
    const text = `-----BEGIN CERTIFICATE-----\n${body}\n-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
    expect(() => readPemBlocks(text)).toThrow(
      'PEM block 1 (CERTIFICATE, line 1) has no END line before the next BEGIN at line 3; it is truncated.',
    );
  });

  it('names a block whose END line lost its dashes', () => {
    const text = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE`;
    expect(() => readPemBlocks(text)).toThrow(
      /^PEM block 1 \(CERTIFICATE, line 1\) has a stray armour line at line 3/,
    );
  });
});
