import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../shared/crypto/index.ts';
import { MASTER_PASSWORD_MAX_BYTES, prepareMasterPassword } from '../../../../shared/keys/index.ts';
import vectors from '../../../fixtures/protocol/gen-06-unicode-and-empty.txt?raw';
import { thrownCode } from '../protocol/helpers/errors.ts';

const bytesOf = (text: string) => toHex(prepareMasterPassword(text));

describe('master password normalisation (CR-09)', () => {
  it('gives NFC and NFD spellings the same bytes', () => {
    expect(bytesOf('caf\u00e9')).toBe(bytesOf('cafe\u0301'));
    expect(bytesOf('\u00c5ngstr\u00f6m')).toBe(bytesOf('A\u030angstro\u0308m'));
  });

  it('keeps full-width and compatibility characters distinct (NFC, not NFKC)', () => {
    expect(bytesOf('\uff21dmin')).not.toBe(bytesOf('Admin'));
    expect(bytesOf('\ufb01le')).not.toBe(bytesOf('file'));
  });

  it('keeps leading and trailing spaces', () => {
    expect(bytesOf(' secret ')).not.toBe(bytesOf('secret'));
    expect(bytesOf(' secret ')).toBe(toHex(new TextEncoder().encode(' secret ')));
  });

  it('accepts emoji as their UTF-8 bytes', () => {
    expect(bytesOf('\u{1F511}')).toBe('f09f9491');
  });

  it('refuses an empty password', () => {
    expect(thrownCode(() => prepareMasterPassword(''))).toBe('master_password_empty');
  });

  it('caps the length at 1024 UTF-8 bytes after NFC, whatever the input spelling', () => {
    expect(prepareMasterPassword('a'.repeat(MASTER_PASSWORD_MAX_BYTES))).toHaveLength(1024);
    expect(thrownCode(() => prepareMasterPassword('a'.repeat(1025)))).toBe(
      'master_password_too_long',
    );
    // 512 x "é" is 1024 bytes in NFC; its NFD spelling (1024 code units) must be accepted too.
    expect(bytesOf('\u00e9'.repeat(512))).toBe(bytesOf('e\u0301'.repeat(512)));
    expect(thrownCode(() => prepareMasterPassword('\u00e9'.repeat(513)))).toBe(
      'master_password_too_long',
    );
  });

  it('refuses a pasted megabyte before normalising it', () => {
    expect(thrownCode(() => prepareMasterPassword('x'.repeat(1 << 20)))).toBe(
      'master_password_too_long',
    );
  });

  it('refuses an unpaired surrogate instead of encoding it as U+FFFD', () => {
    expect(thrownCode(() => prepareMasterPassword('pass\ud83dword'))).toBe('invalid_input');
    expect(thrownCode(() => prepareMasterPassword('pass\ufffdword'))).toBe('none');
  });

  it('handles gen-06: empty refused, 4 emoji kept, NFD line 4 equals its NFC', () => {
    const lines = vectors.split('\n');
    expect(lines[0]).toBe('');
    expect(thrownCode(() => prepareMasterPassword(lines[0] ?? ''))).toBe('master_password_empty');
    expect([...(lines[1] ?? '')]).toHaveLength(4);
    expect(bytesOf(lines[1] ?? '')).toBe('f09f9491'.repeat(4));
    const decomposed = lines[3] ?? '';
    expect([...decomposed]).toHaveLength(16);
    expect(bytesOf(decomposed)).toBe(bytesOf(decomposed.normalize('NFC')));
    expect(bytesOf(decomposed)).toBe(toHex(new TextEncoder().encode('\u00e9'.repeat(8))));
  });
});
