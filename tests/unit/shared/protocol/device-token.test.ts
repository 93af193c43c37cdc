import { describe, expect, it } from 'vitest';
import { fromHex, randomBytes, toBase64Url, toHex } from '../../../../shared/crypto/index.ts';
import {
  crc32,
  crc32Bytes,
  deriveDeviceTokenKeys,
  DEVICE_TOKEN_PREFIX,
  formatDeviceToken,
  parseDeviceToken,
} from '../../../../shared/protocol/index.ts';
import vectors from '../../../fixtures/protocol/device-token.json';
import { thrownCode, thrownError } from './helpers/errors.ts';

const [first] = vectors.tokens;
if (first === undefined) throw new Error('device-token.json has no vectors');
const good = first.token;
const encoder = new TextEncoder();

describe('CRC-32', () => {
  it('gives the published check value for "123456789"', () => {
    expect(crc32(encoder.encode(vectors.crc32Check.input))).toBe(vectors.crc32Check.crc32);
    expect(crc32(encoder.encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('device token vectors', () => {
  for (const vector of vectors.tokens) {
    it(`formats and parses the token for ${vector.origin}`, () => {
      expect(formatDeviceToken(vector.origin, fromHex(vector.secretHex))).toBe(vector.token);
      const parsed = parseDeviceToken(vector.token);
      expect(parsed.origin).toBe(vector.origin);
      expect(toHex(parsed.secret)).toBe(vector.secretHex);
    });

    it(`derives device id, bind-proof key and wrap key for ${vector.origin}`, async () => {
      const keys = await deriveDeviceTokenKeys(fromHex(vector.secretHex));
      expect(keys.deviceId).toBe(vector.deviceId);
      expect(toHex(keys.bindProofKey)).toBe(vector.bindProofKeyHex);
      expect(toHex(keys.appKeyWrapKey)).toBe(vector.appKeyWrapKeyHex);
    });
  }
});

describe('device token round trip', () => {
  it('parses what it formats for random secrets, and its shape is scanner-friendly', () => {
    for (let i = 0; i < 50; i += 1) {
      const secret = randomBytes(32);
      const token = formatDeviceToken('https://vault.example.com', secret);
      expect(token).toMatch(/^coffer_dt_[A-Za-z0-9_-]{49}@https:\/\/vault\.example\.com$/);
      expect(toHex(parseDeviceToken(token).secret)).toBe(toHex(secret));
    }
  });

  it('normalises the origin when formatting (case, default port, trailing slash)', () => {
    const secret = randomBytes(32);
    const token = formatDeviceToken('HTTPS://Vault.Example.COM:443/', secret);
    expect(parseDeviceToken(token).origin).toBe('https://vault.example.com');
  });

  it('never derives a device id starting with "-"', async () => {
    for (let i = 0; i < 64; i += 1) {
      const { deviceId } = await deriveDeviceTokenKeys(randomBytes(32));
      expect(deviceId).toMatch(/^[A-Za-f][A-Za-z0-9_-]{21}$/);
    }
  });

  it('derives three different values from one secret', async () => {
    const keys = await deriveDeviceTokenKeys(randomBytes(32));
    expect(toHex(keys.bindProofKey)).not.toBe(toHex(keys.appKeyWrapKey));
  });
});

describe('parsing a bad device token', () => {
  it('accepts surrounding whitespace from stdin or a paste, nothing inside', () => {
    expect(parseDeviceToken(`  ${good}\r\n`).origin).toBe(first.origin);
    const inner = `${good.slice(0, 20)} ${good.slice(20)}`;
    expect(thrownCode(() => parseDeviceToken(inner))).toBe('token_malformed');
  });

  it('names a missing or wrong prefix', () => {
    const error = thrownError(() => parseDeviceToken(good.replace(DEVICE_TOKEN_PREFIX, 'ghp_')));
    expect(error.code).toBe('token_malformed');
    expect(error.message).toContain('coffer_dt_');
    expect(thrownCode(() => parseDeviceToken(good.toUpperCase()))).toBe('token_malformed');
  });

  it('names a missing origin', () => {
    const error = thrownError(() => parseDeviceToken(good.slice(0, good.indexOf('@'))));
    expect(error.code).toBe('token_malformed');
    expect(error.message).toMatch(/origin/);
  });

  it('names a wrong length when characters are missing or extra', () => {
    const at = good.indexOf('@');
    for (const bad of [
      good.slice(0, at - 1) + good.slice(at),
      good.slice(0, at) + 'A' + good.slice(at),
    ]) {
      const error = thrownError(() => parseDeviceToken(bad));
      expect(error.code).toBe('token_malformed');
      expect(error.message).toMatch(/wrong length/);
    }
  });

  it('names a character that cannot occur', () => {
    const bad = `${good.slice(0, 15)}+${good.slice(16)}`;
    expect(thrownError(() => parseDeviceToken(bad)).message).toMatch(/character/);
  });

  it('reports every single-character substitution in the body as a checksum mismatch', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const start = DEVICE_TOKEN_PREFIX.length;
    for (let i = start; i < start + 49; i += 1) {
      const original = good[i] ?? '';
      const replacement = alphabet[(alphabet.indexOf(original) + 7) % alphabet.length] ?? 'A';
      const bad = good.slice(0, i) + replacement + good.slice(i + 1);
      expect(thrownCode(() => parseDeviceToken(bad))).toBe('token_checksum_mismatch');
    }
  });

  it('reports a case change of one character (DT-05 variant) as a checksum mismatch', () => {
    const start = DEVICE_TOKEN_PREFIX.length;
    const i = start + good.slice(start).search(/[a-z]/);
    const bad = good.slice(0, i) + (good[i] ?? '').toUpperCase() + good.slice(i + 1);
    expect(thrownCode(() => parseDeviceToken(bad))).toBe('token_checksum_mismatch');
  });

  it('reports a mistyped origin as a checksum mismatch', () => {
    const bad = good.replace('vault.example.com', 'vault.example.org');
    const error = thrownError(() => parseDeviceToken(bad));
    expect(error.code).toBe('token_checksum_mismatch');
    expect(error.message).toMatch(/mistyped/);
  });

  it('refuses an origin that is not canonical even with a matching checksum', () => {
    // Recompute the checksum over a non-canonical origin, as a hand-made token would.
    const secretText = good.slice(DEVICE_TOKEN_PREFIX.length, DEVICE_TOKEN_PREFIX.length + 43);
    const origin = 'https://vault.example.com/';
    const crcText = toBase64Url(
      crc32Bytes(encoder.encode(`${DEVICE_TOKEN_PREFIX}${secretText}@${origin}`)),
    );
    const bad = `${DEVICE_TOKEN_PREFIX}${secretText}${crcText}@${origin}`;
    expect(thrownCode(() => parseDeviceToken(bad))).toBe('token_malformed');
  });

  it('never repeats any part of the token in its messages', () => {
    const secretText = good.slice(DEVICE_TOKEN_PREFIX.length, DEVICE_TOKEN_PREFIX.length + 43);
    const variants = [
      good.slice(0, -3),
      good.replace('coffer_dt_', 'coffer_dx_'),
      good.slice(0, 30) + 'B' + good.slice(31),
      good.slice(0, good.indexOf('@')),
      `${good}${good}`,
    ];
    for (const bad of variants) {
      const error = thrownError(() => parseDeviceToken(bad));
      expect(error.message).not.toContain(secretText.slice(0, 8));
      expect(error.message).not.toContain(secretText.slice(-8));
    }
  });

  it('refuses empty input, non-strings and absurd lengths', () => {
    expect(thrownCode(() => parseDeviceToken(''))).toBe('token_malformed');
    expect(thrownCode(() => parseDeviceToken(123 as unknown as string))).toBe('token_malformed');
    expect(thrownCode(() => parseDeviceToken(`${good}${'x'.repeat(10_000)}`))).toBe(
      'token_malformed',
    );
  });

  it('refuses to format a token with a wrong-size secret or an unsafe origin', () => {
    expect(thrownCode(() => formatDeviceToken('https://vault.example.com', randomBytes(31)))).toBe(
      'invalid_input',
    );
    expect(thrownCode(() => formatDeviceToken('http://vault.example.com', randomBytes(32)))).toBe(
      'invalid_input',
    );
  });
});
