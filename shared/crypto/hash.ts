import { CofferError } from '../errors.ts';
import { assertBytes, bufferSource, utf8 } from './bytes.ts';
import { constantTimeEqual } from './compare.ts';

/** SHA-256, HMAC-SHA-256 and HKDF-SHA-256 on WebCrypto, identical in Node and browsers. */

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

// RFC 5869 §2.3: L <= 255 * HashLen.
const HKDF_MAX_LENGTH = 255 * 32;

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  assertBytes(data, 'data');
  return new Uint8Array(await subtle().digest('SHA-256', bufferSource(data)));
}

async function hmacKey(key: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
  assertBytes(key, 'HMAC key');
  // An empty HMAC key is legal in RFC 2104 but always a caller bug here, and WebCrypto
  // implementations disagree on accepting it.
  if (key.length === 0) throw new CofferError('invalid_input', 'HMAC key must not be empty');
  return subtle().importKey('raw', bufferSource(key), { name: 'HMAC', hash: 'SHA-256' }, false, [
    usage,
  ]);
}

export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  assertBytes(data, 'data');
  const cryptoKey = await hmacKey(key, 'sign');
  return new Uint8Array(await subtle().sign('HMAC', cryptoKey, bufferSource(data)));
}

/** Recomputes the MAC and compares in constant time; a MAC of the wrong length is just false. */
export async function verifyHmacSha256(
  key: Uint8Array,
  data: Uint8Array,
  mac: Uint8Array,
): Promise<boolean> {
  assertBytes(mac, 'mac');
  const expected = await hmacSha256(key, data);
  return constantTimeEqual(expected, mac);
}

/** RFC 5869 HKDF with SHA-256; a string `info` is UTF-8 encoded. */
export async function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array | string,
  length: number,
): Promise<Uint8Array> {
  assertBytes(ikm, 'HKDF input key material');
  assertBytes(salt, 'HKDF salt');
  const infoBytes = typeof info === 'string' ? utf8(info) : info;
  assertBytes(infoBytes, 'HKDF info');
  if (!Number.isSafeInteger(length) || length < 1 || length > HKDF_MAX_LENGTH) {
    throw new CofferError(
      'invalid_input',
      `HKDF length must be an integer in 1..${HKDF_MAX_LENGTH}`,
    );
  }
  const key = await subtle().importKey('raw', bufferSource(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: bufferSource(salt), info: bufferSource(infoBytes) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
