import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanBytes, type Secret } from '../../support/leak-scan.ts';

/** The journey's leak scan (tests/support/leak-scan.ts) finds what it is meant to find. */
describe('leak scan', () => {
  const password: Secret = { name: 'password', value: `pw-${randomBytes(12).toString('hex')}` };
  const seed: Secret = { name: 'seed', value: new Uint8Array(randomBytes(32)) };
  const bytesOf = (secret: Secret) => Buffer.from(secret.value);
  const around = (middle: Buffer | string) =>
    Buffer.concat([randomBytes(37), Buffer.from(middle), randomBytes(41)]);
  const formsFound = (haystack: Buffer) =>
    scanBytes(haystack, [password, seed], 'test').map((hit) => `${hit.secret}:${hit.form}`);

  it('finds nothing in bytes that do not hold the secrets', () => {
    expect(formsFound(randomBytes(64 * 1024))).toEqual([]);
  });

  it('finds a secret as raw bytes, UTF-16 and hex', () => {
    expect(formsFound(around(bytesOf(password)))).toContain('password:raw');
    expect(formsFound(around(Buffer.from(String(password.value), 'utf16le')))).toContain(
      'password:utf-16le',
    );
    expect(formsFound(around(bytesOf(seed).toString('hex')))).toContain('seed:hex');
    expect(formsFound(around(bytesOf(seed).toString('hex').toUpperCase()))).toContain('seed:HEX');
  });

  it('finds a secret inside a longer base64 or base64url blob at every alignment', () => {
    for (const shift of [0, 1, 2]) {
      const blob = Buffer.concat([randomBytes(shift + 3), bytesOf(seed), randomBytes(5)]);
      expect(formsFound(Buffer.from(blob.toString('base64')))).toContain(`seed:base64@${shift}`);
      expect(formsFound(Buffer.from(blob.toString('base64url')))).toContain(
        `seed:base64url@${shift}`,
      );
    }
  });

  it('finds base64 that was wrapped over lines, as in PEM', () => {
    const wrapped = Buffer.concat([randomBytes(7), bytesOf(seed)])
      .toString('base64')
      .replace(/.{16}/g, '$&\n');
    expect(formsFound(Buffer.from(wrapped))).toContain('seed:base64@1');
  });
});
